import { e2eEnvironment } from '../support/env.js';
import { expect, test } from '../support/fixtures.js';

test.use({ storageState: { cookies: [], origins: [] } });

test('signs in, rejects a wrong password, signs out', async ({ page }) => {
  const env = e2eEnvironment();
  await page.goto('/accounts');
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccounts/);
  await page.getByLabel('Username').fill(env.adminUsername);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'The username or password is incorrect.' })).toBeVisible();
  await expect(page.getByLabel('Password')).toBeFocused();

  await page.getByLabel('Password').fill(env.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByRole('tab', { name: 'Accounts' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test('a session that ends while a page is open leads to the login page, which says so and returns to the page', async ({ page }) => {
  const env = e2eEnvironment();
  await page.goto('/login');
  await page.getByLabel('Username').fill(env.adminUsername);
  await page.getByLabel('Password').fill(env.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // No page asked for: the console's home, the dashboard.
  await expect(page.getByRole('tab', { name: 'Dashboard' })).toHaveAttribute('aria-selected', 'true');

  await page.context().clearCookies();
  await page.getByRole('tab', { name: 'Targets' }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Ftargets&reason=expired$/);
  await expect(page.getByText('Your session has ended')).toBeVisible();

  await page.getByLabel('Username').fill(env.adminUsername);
  await page.getByLabel('Password').fill(env.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/targets$/);
  await expect(page.getByRole('table', { name: 'Targets' })).toBeVisible();
});
