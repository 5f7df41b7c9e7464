import type { Job } from '@passman/contracts';
import type { Page } from '@playwright/test';
import { accountWithPassword, expect, test } from '../support/fixtures.js';
import { openAccount, statusOf } from '../support/ui.js';

/** What the browser reports when the user switches tabs (headless Chromium never hides a page by itself). */
async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((visibility) => {
    // The e2e project compiles without the DOM library: the page's document, as far as used here.
    const { document } = globalThis as unknown as { document: EventTarget };
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => visibility === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  }, state);
}

test('the Accounts table shows the outcome of a job started through the API, without a reload', async ({ page, api, sshTarget, approvedTarget, uniq }) => {
  const username = `liv${uniq}`;
  const account = await accountWithPassword(api, sshTarget, approvedTarget, username, 'Live-password-1');
  const row = await openAccount(page, username);
  await expect(statusOf(row)).toContainText('Unknown');
  // Gone if the page were reloaded.
  await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));

  const job = await api.post<Job>(`/accounts/${account.id}/check`);
  await expect.poll(async () => (await api.get<Job>(`/jobs/${job.id}`)).state).toBe('succeeded');
  await expect(statusOf(row)).toContainText('InSync');
  expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
});

test('while the tab is hidden the table does not poll; shown again, it catches up at once', async ({ page, api, sshTarget, approvedTarget, uniq }) => {
  // Fake timers that run in real time until told otherwise: a minute of hidden tab costs no minute.
  await page.clock.install();
  const username = `hid${uniq}`;
  const account = await accountWithPassword(api, sshTarget, approvedTarget, username, 'Hidden-password-1');
  const row = await openAccount(page, username);
  await expect(statusOf(row)).toContainText('Unknown');
  const listRequests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/accounts') listRequests.push(request.url());
  });

  await setVisibility(page, 'hidden');
  const job = await api.post<Job>(`/accounts/${account.id}/check`);
  await expect.poll(async () => (await api.get<Job>(`/jobs/${job.id}`)).state).toBe('succeeded');
  await page.clock.runFor(60_000);
  // A request of the page's own after the timers ran: anything they had sent is reported before it.
  const sentinel = page.waitForRequest((request) => new URL(request.url()).pathname === '/api/v1/auth/me');
  await page.evaluate(() => fetch('/api/v1/auth/me').then((response) => response.status));
  await sentinel;
  expect(listRequests).toEqual([]);
  await expect(statusOf(row)).toContainText('Unknown');

  await setVisibility(page, 'visible');
  await expect(statusOf(row)).toContainText('InSync');
  expect(listRequests.length).toBeGreaterThanOrEqual(1);
});
