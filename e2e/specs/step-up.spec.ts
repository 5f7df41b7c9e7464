import type { Account, Target } from '@passman/contracts';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { generate } from 'otplib';
import { REPO_ROOT, startPassman, type PassmanServer } from '../support/passman-server.js';
import { accountAction } from '../support/ui.js';

// Step-up before a checkout. It changes the step-up window, an installation-wide setting, so it
// runs against a PassMan of its own: the other specs, on the shared one, never see that window.

let server: PassmanServer;
let adminApi: APIRequestContext;
let adminCsrf: string;
let target: Target;
const secret = 'Step-up-secret-1';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  server = await startPassman({ env: { PASSMAN_STEP_UP_WINDOW_SECONDS: '300' }, logFile: `${REPO_ROOT}test-results/e2e-step-up-server.log` });
  adminApi = await playwright.request.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const login = await adminApi.post('/api/v1/auth/login', { data: { username: server.adminUsername, password: server.adminPassword } });
  expect(login.ok()).toBe(true);
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  adminCsrf = csrf;
  const post = async <T>(path: string, data: unknown): Promise<T> => {
    const res = await adminApi.post(`/api/v1${path}`, { data, headers: { 'X-CSRF-Token': csrf } });
    expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
    return (await res.json()) as T;
  };
  // A short window for every test here (the first one sets it through the Settings page as well).
  const patched = await adminApi.patch('/api/v1/settings/security', { data: { stepUpWindowSeconds: 5 }, headers: { 'X-CSRF-Token': csrf } });
  expect(patched.ok()).toBe(true);
  // No host is contacted: checkout only reads the vault.
  target = await post<Target>('/targets', { name: 'step-up-host', address: '127.0.10.252', port: 2222 });
  for (const username of ['stepup1', 'stepup2', 'stepup3']) {
    const account = await post<Account>('/accounts', { targetId: target.id, username });
    await post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: secret });
  }
});

test.afterAll(async () => {
  await adminApi?.dispose();
  await server?.stop();
});

/** Signs the admin (or `who`) in through the login page of this spec's PassMan. */
async function signIn(browser: Browser, who = { username: server.adminUsername, password: server.adminPassword }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseURL, ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto('/login?redirectTo=%2Faccounts');
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
  return page;
}

/** Sets the step-up window on the Settings page (an administrator, just signed in, needs no step-up for it). */
async function setStepUpWindow(page: Page, seconds: number): Promise<void> {
  await page.getByRole('tab', { name: 'Settings' }).click();
  const field = page.getByLabel('Step-up window (seconds)');
  await field.fill(String(seconds));
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
}

/** Until the session's last sign-in is older than the window (asked of the server, which decides). */
async function waitUntilStale(page: Page): Promise<void> {
  await expect
    .poll(async () => ((await (await page.request.get('/api/v1/auth/step-up')).json()) as { fresh: boolean }).fresh, { timeout: 30_000, intervals: [500] })
    .toBe(false);
}

test('a checkout past the step-up window asks for the password, then reveals the secret; a wrong password reveals nothing', async ({ browser }) => {
  // The Settings page saves only while the admin's sign-in is within the window, and the 5 seconds
  // set above are no promise on a loaded machine: widen it first, then let the page set it short.
  const headers = { 'X-CSRF-Token': adminCsrf };
  expect((await adminApi.post('/api/v1/auth/reauth', { data: { method: 'password', password: server.adminPassword }, headers })).ok()).toBe(true);
  expect((await adminApi.patch('/api/v1/settings/security', { data: { stepUpWindowSeconds: 300 }, headers })).ok()).toBe(true);
  const page = await signIn(browser);
  await setStepUpWindow(page, 6);
  await waitUntilStale(page);

  await page.goto('/accounts?q=stepup1');
  const checkout = await accountAction(page, 'stepup1', target.name, 'CheckOut');
  await checkout.getByRole('button', { name: 'Check out', exact: true }).click();

  const reauth = page.getByRole('dialog', { name: 'Confirm it’s you' });
  await expect(reauth).toBeVisible();
  await expect(reauth.getByLabel('Password')).toBeFocused();
  await reauth.getByLabel('Password').fill('not-the-password');
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  await expect(reauth.getByText('Wrong password. Nothing was done; try again.')).toBeVisible();
  await expect(page.getByTestId('checked-out-secret')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  await reauth.getByLabel('Password').fill(server.adminPassword);
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  await expect(reauth).toHaveCount(0);
  // The checkout was sent again by itself: the secret is there without another click.
  await expect(checkout.getByTestId('checked-out-secret')).toBeVisible();
  await checkout.getByRole('button', { name: 'Show what was typed' }).click();
  await expect(checkout.getByTestId('checked-out-secret')).toContainText(secret);
});

test('giving up the re-authentication leaves the checkout undone, with a clear message', async ({ browser }) => {
  const page = await signIn(browser);
  await waitUntilStale(page);

  await page.goto('/accounts?q=stepup2');
  const checkout = await accountAction(page, 'stepup2', target.name, 'CheckOut');
  await checkout.getByRole('button', { name: 'Check out', exact: true }).click();
  const reauth = page.getByRole('dialog', { name: 'Confirm it’s you' });
  await reauth.getByRole('button', { name: 'Cancel' }).click();
  await expect(reauth).toHaveCount(0);
  await expect(checkout.getByRole('alert')).toContainText('Confirm your password to do this.');
  await expect(checkout.getByTestId('checked-out-secret')).toHaveCount(0);
});

test('a user with an authenticator app may confirm with a code instead of the password; a used code is refused', async ({ browser }) => {
  const operator = { username: 'stepup-totp', password: 'stepup-totp-password-1' };
  const headers = { 'X-CSRF-Token': adminCsrf };
  const created = await adminApi.post('/api/v1/users', { data: { ...operator, role: 'operator' }, headers });
  expect(created.ok()).toBe(true);
  const userId = ((await created.json()) as { id: string }).id;
  // Granting is a permission change: the admin's API session confirms its password first.
  expect((await adminApi.post('/api/v1/auth/reauth', { data: { method: 'password', password: server.adminPassword }, headers })).ok()).toBe(true);
  const grants = (['view', 'checkout'] as const).map((action) => ({ principal: { type: 'user', id: userId }, action, effect: 'ALLOW' }));
  expect((await adminApi.put(`/api/v1/targets/${target.id}/permissions`, { data: { grants }, headers })).ok()).toBe(true);

  const page = await signIn(browser, operator);
  const { csrfToken } = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrfToken: string };
  const started = (await (await page.request.post('/api/v1/mfa/totp', { headers: { 'X-CSRF-Token': csrfToken }, data: {} })).json()) as {
    factorId: string;
    secret: string;
  };
  const enrolCode = await generate({ secret: started.secret });
  const confirmed = await page.request.post(`/api/v1/mfa/totp/${started.factorId}/confirm`, {
    headers: { 'X-CSRF-Token': csrfToken },
    data: { code: enrolCode },
  });
  expect(confirmed.status()).toBe(200);
  await waitUntilStale(page);

  await page.goto('/accounts?q=stepup3');
  const checkout = await accountAction(page, 'stepup3', target.name, 'CheckOut');
  await checkout.getByRole('button', { name: 'Check out', exact: true }).click();
  const reauth = page.getByRole('dialog', { name: 'Confirm it’s you' });
  await expect(reauth.getByText('This action needs your password or a second factor again.')).toBeVisible();
  await reauth.getByRole('button', { name: 'Use the authenticator app instead' }).click();
  // The code just spent on the enrolment proves nothing a second time.
  await reauth.getByLabel('Code from your authenticator app').fill(enrolCode);
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  await expect(reauth.getByText('That code is wrong or was used already. Nothing was done; try again.')).toBeVisible();
  await expect(checkout.getByTestId('checked-out-secret')).toHaveCount(0);

  // The next period's code (one step of drift is accepted).
  await reauth.getByLabel('Code from your authenticator app').fill(await generate({ secret: started.secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await reauth.getByRole('button', { name: 'Confirm' }).click();
  await expect(reauth).toHaveCount(0);
  await expect(checkout.getByTestId('checked-out-secret')).toBeVisible();
  await checkout.getByRole('button', { name: 'Show what was typed' }).click();
  await expect(checkout.getByTestId('checked-out-secret')).toContainText(secret);
});

test('the Security page lists this browser’s session and ends the others', async ({ browser }) => {
  const other = await signIn(browser);
  const page = await signIn(browser);
  await page.getByRole('link', { name: 'Security' }).click();
  const table = page.getByRole('table', { name: 'Your sessions' });
  await expect(table.getByText('This browser')).toHaveCount(1);
  await expect(table.getByRole('row')).not.toHaveCount(1);
  await page.getByRole('button', { name: 'End all other sessions' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'End all other sessions' }).click();
  await expect(table.getByRole('row')).toHaveCount(2); // the header and this browser
  await expect(table.getByText('This browser')).toHaveCount(1);
  expect((await other.request.get('/api/v1/auth/me')).status()).toBe(401);
});
