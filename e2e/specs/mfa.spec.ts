import type { Browser, CDPSession, Page } from '@playwright/test';
import { generate } from 'otplib';
import { e2eEnvironment } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';
import { createOperator } from '../support/users.js';

/** A code one step ahead of the clock: the step just used at enrolment is never accepted twice, the next one is. */
const nextCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

async function passwordStep(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function freshContext(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return { context, page: await context.newPage() };
}

async function saveRecoveryCodes(page: Page) {
  const codes = page.getByTestId('recovery-codes');
  await expect(codes.getByRole('listitem')).toHaveCount(10);
  await codes.getByRole('button', { name: 'I have saved them' }).click();
  await expect(codes).toHaveCount(0);
}

test('enrols an authenticator app with its key, then signs in with a code from it', async ({ browser, api, uniq }) => {
  const { user, password } = await createOperator(api, `totp${uniq}`);
  const { context, page } = await freshContext(browser, e2eEnvironment().baseURL);
  await passwordStep(page, user.username, password);
  // No page asked for: the console's home, the dashboard.
  await expect(page).toHaveURL(/^https?:\/\/[^/]+\/$/);

  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByRole('button', { name: 'Add authenticator app' }).click();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  const secret = (await page.getByTestId('totp-key').textContent())!.trim();
  await page.getByLabel('Code shown by the app').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await saveRecoveryCodes(page);
  await expect(page.getByRole('table', { name: 'Second factors' }).getByRole('cell', { name: 'Authenticator app', exact: true }).first()).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await passwordStep(page, user.username, password);
  await expect(page.getByText('Confirm it is you')).toBeVisible();
  await page.getByLabel('Code from your authenticator app').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'That code is wrong or was used already.' })).toBeVisible();
  await page.getByLabel('Code from your authenticator app').fill(await nextCode(secret));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('tab', { name: 'Dashboard' })).toHaveAttribute('aria-selected', 'true');
  await context.close();
});

async function addVirtualAuthenticator(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return cdp;
}

test('registers a passkey with a virtual authenticator, renames it, then signs in with it', async ({ browser, api, uniq }) => {
  const { user, password } = await createOperator(api, `pk${uniq}`);
  // Passkeys are bound to a host name: this browser opens PassMan as localhost (PASSMAN_PUBLIC_URL).
  const { context, page } = await freshContext(browser, e2eEnvironment().baseURL.replace('127.0.0.1', 'localhost'));
  await addVirtualAuthenticator(page);
  await passwordStep(page, user.username, password);
  // No page asked for: the console's home, the dashboard.
  await expect(page).toHaveURL(/^https?:\/\/[^/]+\/$/);

  await page.getByRole('link', { name: 'Security' }).click();
  await page.getByLabel('Passkey name').fill('Laptop key');
  await page.getByRole('button', { name: 'Add passkey' }).click();
  await saveRecoveryCodes(page);
  const factors = page.getByRole('table', { name: 'Second factors' });
  await expect(factors.getByRole('cell', { name: 'Laptop key', exact: true })).toBeVisible();
  await factors.getByRole('button', { name: 'Rename Laptop key' }).click();
  await page.getByLabel('New name').fill('Work laptop');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(factors.getByRole('cell', { name: 'Work laptop', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await passwordStep(page, user.username, password);
  await page.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(page.getByRole('tab', { name: 'Dashboard' })).toHaveAttribute('aria-selected', 'true');
  await context.close();
});

test('a user the MFA policy concerns is taken to the Security page until enrolled; an administrator resets their factors', async ({
  browser,
  page,
  api,
  uniq,
}) => {
  const { user, password } = await createOperator(api, `pol${uniq}`);
  const group = await api.post<{ id: string }>('/groups', { name: `mfa-${uniq}` });
  await api.put(`/groups/${group.id}/members/${user.id}`);
  // Only this group's member is concerned, at once: the other specs' users and the admin are not.
  await api.put('/mfa/policy', { mode: 'selected', roles: [], groupIds: [group.id], graceDays: 0 });
  try {
    const { context, page: userPage } = await freshContext(browser, e2eEnvironment().baseURL);
    await passwordStep(userPage, user.username, password);
    await expect(userPage).toHaveURL(/\/security$/);
    await expect(userPage.getByText('Set one up to continue using PassMan.')).toBeVisible();
    await userPage.goto('/accounts');
    await expect(userPage).toHaveURL(/\/security$/);
    await userPage.getByRole('button', { name: 'Add authenticator app' }).click();
    const secret = (await userPage.getByTestId('totp-key').textContent())!.trim();
    await userPage.getByLabel('Code shown by the app').fill(await generate({ secret }));
    await userPage.getByRole('button', { name: 'Confirm' }).click();
    await saveRecoveryCodes(userPage);
    await userPage.getByRole('tab', { name: 'Accounts' }).click();
    await expect(userPage.getByRole('table', { name: 'Accounts' })).toBeVisible();
    await context.close();

    // Found by its name: the run's other specs add users that may fill the first page.
    await page.goto(`/users?q=${encodeURIComponent(user.username)}`);
    const userRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: user.username, exact: true }) });
    await userRow.getByRole('button', { name: `Sessions and tokens of ${user.username}` }).click();
    const access = page.getByRole('dialog', { name: `Sessions and tokens of ${user.username}` });
    await expect(access.getByText('1 second factor.')).toBeVisible();
    await access.getByRole('button', { name: 'Reset second factors' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reset second factors' }).click();
    await expect(access.getByText('No second factor.')).toBeVisible();
  } finally {
    await api.put('/mfa/policy', { mode: 'off', roles: [], groupIds: [], graceDays: 0 });
  }
});
