import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { User } from '@passman/contracts';
import { e2eEnvironment } from './env.js';
import { expect } from './fixtures.js';
import type { PassmanApi } from './passman-api.js';

/**
 * An operator made through POST /users. Such an operator starts with no rights in the vault tree
 * (today's operators kept theirs through the group "Operators"): a spec grants what it needs.
 */
export async function createOperator(api: PassmanApi, username: string): Promise<{ user: User; password: string }> {
  const password = `pw-${username}-long-enough`;
  const user = await api.post<User>('/users', { username, role: 'operator', password });
  return { user, password };
}

/** A browser context of its own, signed in as `username` through the login page. */
export async function signInAs(browser: Browser, username: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: e2eEnvironment().baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  // Asking for Accounts: the login page sends the user back there (with no page asked for, to the dashboard).
  await page.goto('/login?redirectTo=%2Faccounts');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
  return { context, page };
}
