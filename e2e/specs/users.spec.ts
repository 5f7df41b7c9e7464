import { request, type APIRequestContext } from '@playwright/test';
import type { User } from '@passman/contracts';
import { e2eEnvironment } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';

/** A browser-like client of its own, signed in as `username`. */
async function signIn(username: string, password: string, userAgent: string): Promise<{ client: APIRequestContext; csrf: string }> {
  const client = await request.newContext({ baseURL: e2eEnvironment().baseURL, userAgent });
  const res = await client.post('/api/v1/auth/login', { data: { username, password } });
  expect(res.status()).toBe(200);
  return { client, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

const meStatus = async (client: APIRequestContext, headers?: Record<string, string>) => (await client.get('/api/v1/auth/me', { headers })).status();

test('an administrator sees a user’s sessions and tokens with their last use, and revokes them', async ({ page, api, uniq }) => {
  const username = `ops${uniq}`;
  const password = `pw-${uniq}-long-enough`;
  await api.post<User>('/users', { username, role: 'operator', password });
  const laptop = await signIn(username, password, 'Laptop-Browser/1.0');
  const phone = await signIn(username, password, 'Phone-Browser/2.0');
  const tokenName = `ci-${uniq}`;
  const created = await laptop.client.post('/api/v1/tokens', {
    data: { name: tokenName, scopes: ['accounts.view'] },
    headers: { 'X-CSRF-Token': laptop.csrf },
  });
  expect(created.status()).toBe(201);
  const bearer = { Authorization: `Bearer ${((await created.json()) as { token: string }).token}` };
  const integrator = await request.newContext({ baseURL: e2eEnvironment().baseURL });
  expect(await meStatus(integrator, bearer)).toBe(200);

  try {
    // Found by its name: the run's other specs add users that may fill the first page.
    await page.goto(`/users?q=${encodeURIComponent(username)}`);
    await expect(page.getByRole('tab', { name: 'Users' })).toHaveAttribute('aria-selected', 'true');
    const userRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
    await expect(userRow).toContainText('Operator');
    await expect(userRow).toContainText('Active');
    await expect(userRow).not.toContainText('Never'); // it has logged in
    await userRow.getByRole('button', { name: `Sessions and tokens of ${username}` }).click();

    const access = page.getByRole('dialog', { name: `Sessions and tokens of ${username}` });
    const sessions = access.getByRole('table', { name: `Sessions of ${username}` });
    const tokens = access.getByRole('table', { name: `API tokens of ${username}` });
    const laptopRow = sessions.getByRole('row').filter({ hasText: 'Laptop-Browser/1.0' });
    const phoneRow = sessions.getByRole('row').filter({ hasText: 'Phone-Browser/2.0' });
    await expect(laptopRow).toContainText('127.0.0.1');
    await expect(phoneRow).toContainText('127.0.0.1');
    const tokenRow = tokens.getByRole('row').filter({ hasText: tokenName });
    await expect(tokenRow).toContainText('Active');
    await expect(tokenRow).toContainText('127.0.0.1');
    await expect(tokenRow).not.toContainText('Never');

    // Revoke asks first; Cancel changes nothing.
    await tokenRow.getByRole('button', { name: `Revoke token ${tokenName}` }).click();
    const confirmToken = page.getByRole('alertdialog', { name: `Revoke token ${tokenName}?` });
    await confirmToken.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirmToken).toBeHidden();
    expect(await meStatus(integrator, bearer)).toBe(200);
    await tokenRow.getByRole('button', { name: `Revoke token ${tokenName}` }).click();
    await confirmToken.getByRole('button', { name: 'Revoke' }).click();
    await expect(tokenRow).toContainText('Revoked by admin');
    await expect(tokenRow.getByRole('button', { name: `Revoke token ${tokenName}` })).toHaveCount(0);
    expect(await meStatus(integrator, bearer)).toBe(401);

    await phoneRow.getByRole('button', { name: /^Revoke the session signed in/ }).click();
    await page.getByRole('alertdialog', { name: 'Revoke this session?' }).getByRole('button', { name: 'Revoke' }).click();
    await expect(phoneRow).toHaveCount(0);
    await expect(laptopRow).toHaveCount(1);
    expect(await meStatus(phone.client)).toBe(401);
    expect(await meStatus(laptop.client)).toBe(200);

    await access.getByRole('button', { name: 'End all sessions' }).click();
    await page
      .getByRole('alertdialog', { name: `End every session of ${username}?` })
      .getByRole('button', { name: 'End all sessions' })
      .click();
    await expect(sessions).toContainText('No sessions');
    expect(await meStatus(laptop.client)).toBe(401);
    // The administrator's own session is untouched.
    await access.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(page.getByRole('table', { name: 'Users' })).toBeVisible();
    expect(await meStatus(page.request)).toBe(200);
  } finally {
    await Promise.all([laptop.client.dispose(), phone.client.dispose(), integrator.dispose()]);
  }
});

test('the Users tab and its API are for administrators only', async ({ browser, api, uniq }) => {
  const username = `aud${uniq}`;
  const password = `pw-${uniq}-long-enough`;
  await api.post<User>('/users', { username, role: 'auditor', password });
  const auditor = await signIn(username, password, 'Auditor-Browser/1.0');
  const context = await browser.newContext({ baseURL: e2eEnvironment().baseURL, storageState: await auditor.client.storageState() });
  try {
    const page = await context.newPage();
    await page.goto('/audit');
    await expect(page.getByRole('tab', { name: 'Audit' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Users' })).toHaveCount(0);
    await page.goto('/users');
    await expect(page.getByRole('alert').filter({ hasText: 'You do not have permission to do this.' })).toBeVisible();
  } finally {
    await context.close();
    await auditor.client.dispose();
  }
});
