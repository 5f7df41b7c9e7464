import { startTestOidcProvider, type TestOidcProvider } from '@passman/testkit';
import { e2eEnvironment } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';

let provider: TestOidcProvider;
test.beforeAll(async () => {
  provider = await startTestOidcProvider({ redirectUris: [`${e2eEnvironment().baseURL}/api/v1/auth/oidc/callback`] });
});
test.afterAll(async () => {
  await provider?.close();
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('single sign-on in the browser: the login page sends the user to the provider, whose login page signs them in to PassMan', async ({
    page,
    api,
    uniq,
  }) => {
    const username = `sso-${uniq}`;
    provider.addAccount(`sub-${uniq}`, { preferred_username: username, name: `SSO ${uniq}`, roles: ['passman-operators'] });
    await api.put('/settings/oidc', {
      enabled: true,
      providerName: 'Test IdP',
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      caCertificates: null,
      consoleUrl: e2eEnvironment().baseURL,
      scopes: ['openid', 'profile', 'groups'],
      linkClaim: 'preferred_username',
      roleClaim: 'roles',
      roleMapping: [{ value: 'passman-operators', role: 'operator' }],
      defaultRole: null,
      groupsClaim: null,
      groupMapping: [],
      localLoginEnabled: true,
      breakGlassUsername: null,
      trustProviderMfa: false,
      mfaAmrValues: ['mfa'],
    });
    try {
      await page.goto('/login');
      await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
      // The provider's own login page.
      await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
      await page.getByLabel('Username').fill(`sub-${uniq}`);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await expect(page).toHaveURL(/\/accounts$/);
      await expect(page.getByText(`Signed in as SSO ${uniq}`)).toBeAttached();
      await expect(page.locator('.user-menu__role')).toHaveText('Operator');
      // The session is the new user's own: PassMan made it on this first login, linked to the provider's subject.
      const me = await page.request.get('/api/v1/auth/me');
      expect(await me.json()).toMatchObject({ user: { username, role: 'operator' } });
    } finally {
      await api.put('/settings/oidc', {
        enabled: false,
        providerName: 'SSO',
        issuer: '',
        clientId: '',
        clientSecret: null,
        caCertificates: null,
        consoleUrl: '',
        scopes: ['openid', 'profile', 'email'],
        linkClaim: 'preferred_username',
        roleClaim: null,
        roleMapping: [],
        defaultRole: null,
        groupsClaim: null,
        groupMapping: [],
        localLoginEnabled: true,
        breakGlassUsername: null,
        trustProviderMfa: false,
        mfaAmrValues: ['mfa'],
      });
    }
  });

  test('a refused single sign-on shows its reason on the login page', async ({ page }) => {
    await page.goto('/login?ssoError=OIDC_TOKEN_INVALID');
    await expect(page.getByRole('alert').filter({ hasText: 'ID token was refused' })).toBeVisible();
  });
});

test("the administrator's settings page: Test connection lists the provider's endpoints, or says why it failed", async ({ page }) => {
  await page.goto('/settings/sso');
  await expect(page.getByRole('tab', { name: 'Single sign-on' })).toHaveAttribute('aria-selected', 'true');
  await page.getByLabel('Issuer URL').fill(provider.issuer);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(`The provider answered. Issuer ${provider.issuer}`)).toBeVisible();
  await expect(page.getByText(`${provider.issuer}/token`)).toBeVisible();

  await page.getByLabel('Issuer URL').fill('http://idp.example.com');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(/Discovery failed: .*https/)).toBeVisible();
  // The secret field never shows a stored secret.
  await expect(page.getByLabel('Client secret')).toHaveValue('');
});
