import type { Account, Alert, Job } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';

// The notification bell: an account whose stored password the host rejects goes NotInSync on its
// check, the worker raises an alert, and the header's bell counts it, lists it with a link to the
// account, and marks it read.

test('a NotInSync account shows in the bell: listed with a link to it, and marked read', async ({ page, api, sshTarget, approvedTarget, uniq }) => {
  const username = `al${uniq}`;
  await sshTarget.addUsers([{ name: username, password: 'The-real-password-1' }]);
  const account = await api.post<Account>('/accounts', { targetId: approvedTarget.id, username });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: 'Not-the-real-password-1' });
  const job = await api.post<Job>(`/accounts/${account.id}/check`, {});
  await expect.poll(async () => (await api.get<Job>(`/jobs/${job.id}`)).state, { timeout: 20_000 }).not.toMatch(/queued|running/);
  await expect
    .poll(async () => (await api.get<{ items: Alert[] }>(`/alerts?accountId=${account.id}&state=open`)).items.map((a) => a.rule), { timeout: 20_000 })
    .toEqual(['not_in_sync']);

  await page.goto('/accounts');
  const bell = page.getByRole('button', { name: /^Alerts: \d+ unread$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  const panel = page.getByRole('region', { name: 'Alerts' });
  const item = panel.getByRole('listitem').filter({ hasText: `${username}@${approvedTarget.name}` });
  await expect(item).toContainText('Not in sync');
  await expect(item).toContainText('AUTH_REJECTED');
  await expect(item).toContainText('(unread)');

  await item.getByRole('button', { name: 'Mark read' }).click();
  await expect(item.getByRole('button', { name: 'Mark read' })).toHaveCount(0);
  await expect(item).not.toContainText('(unread)');

  await item.getByRole('link', { name: `${username}@${approvedTarget.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts\\?account=${account.id}`));
  await expect(panel).toBeHidden();
});
