import { startTestOidcProvider, type TestOidcProvider } from '@passman/testkit';
import type { Page } from '@playwright/test';
import { generate } from 'otplib';
import { e2eEnvironment } from '../support/env.js';
import type { PassmanApi } from '../support/passman-api.js';
import { expect, test } from '../support/fixtures.js';

let provider: TestOidcProvider;
test.beforeAll(async () => {
  provider = await startTestOidcProvider({ redirectUris: [`${e2eEnvironment().baseURL}/api/v1/auth/oidc/callback`] });
});
test.afterAll(async () => {
  await provider?.close();
});

const enableSso = (api: PassmanApi) =>
  api.put('/settings/oidc', {
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

const disableSso = (api: PassmanApi) =>
  api.put('/settings/oidc', {
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

/** From the login page through the provider's own login page, back to PassMan. */
async function signInAtProvider(page: Page, subject: string) {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
  await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
  await page.getByLabel('Username').fill(subject);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  // The tests that turn single sign-on on and off again must not overlap.
  test.describe.configure({ mode: 'serial' });

  test('single sign-on in the browser: the login page sends the user to the provider, whose login page signs them in to PassMan', async ({
    page,
    api,
    uniq,
  }) => {
    const username = `sso-${uniq}`;
    provider.addAccount(`sub-${uniq}`, { preferred_username: username, name: `SSO ${uniq}`, roles: ['passman-operators'] });
    await enableSso(api);
    try {
      await signInAtProvider(page, `sub-${uniq}`);

      // The provider sends the browser back to the console's home, the Dashboard.
      await expect(page).toHaveURL(`${e2eEnvironment().baseURL}/`);
      await expect(page.getByText(`Signed in as SSO ${uniq}`)).toBeAttached();
      await expect(page.locator('.user-menu__role')).toHaveText('Operator');
      // The session is the new user's own: PassMan made it on this first login, linked to the provider's subject.
      const me = await page.request.get('/api/v1/auth/me');
      expect(await me.json()).toMatchObject({ user: { username, role: 'operator' } });
    } finally {
      await disableSso(api);
    }
  });

  test("single sign-on then PassMan's own second factor, for a user who enrolled one", async ({ page, api, uniq }) => {
    provider.addAccount(`sub-2fa-${uniq}`, { preferred_username: `sso-2fa-${uniq}`, roles: ['passman-operators'] });
    await enableSso(api);
    try {
      await signInAtProvider(page, `sub-2fa-${uniq}`);
      // The provider sends the browser back to the console's home, the Dashboard.
      await expect(page).toHaveURL(`${e2eEnvironment().baseURL}/`);
      // Enrols an authenticator app as that user, over the API with the browser's session.
      const { csrfToken } = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
      const started = (await (await page.request.post('/api/v1/mfa/totp', { headers: { 'X-CSRF-Token': csrfToken }, data: {} })).json()) as {
        factorId: string;
        secret: string;
      };
      const confirm = await page.request.post(`/api/v1/mfa/totp/${started.factorId}/confirm`, {
        headers: { 'X-CSRF-Token': csrfToken },
        data: { code: await generate({ secret: started.secret }) },
      });
      expect(confirm.status()).toBe(200);

      // A new browser session (PassMan's and the provider's cookies gone) signs in again.
      await page.context().clearCookies();
      await signInAtProvider(page, `sub-2fa-${uniq}`);
      await expect(page).toHaveURL(/\/login\?mfa=sso$/);
      await expect(page.getByText('Your identity provider signed you in. PassMan also asks for your second factor.')).toBeVisible();
      expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
      // The next period's code: the one just used to confirm is spent.
      await page.getByLabel('Code from your authenticator app').fill(await generate({ secret: started.secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect(page).toHaveURL(`${e2eEnvironment().baseURL}/`);
      expect(await (await page.request.get('/api/v1/auth/me')).json()).toMatchObject({ user: { username: `sso-2fa-${uniq}` } });
    } finally {
      await disableSso(api);
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
