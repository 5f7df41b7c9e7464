import type { Job } from '@passman/contracts';
import { accountWithPassword, expect, test } from '../support/fixtures.js';
import { opensshLogin } from '../support/ssh.js';
import { openAccount, statusOf } from '../support/ui.js';

test('Auto-reset from the Account details window asks first, then generates the password and changes it on the target: InSync, version 2', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const username = `aut${uniq}`;
  const account = await accountWithPassword(api, sshTarget, approvedTarget, username, 'Before-auto-1');
  const row = await openAccount(page, username);
  await expect(statusOf(row)).toContainText('Unknown');
  await row.getByRole('button', { name: `Account details of ${username} on ${approvedTarget.name}` }).click();
  const details = page.getByRole('dialog', { name: `Account details: ${username}` });
  const credentials = details.getByRole('table', { name: 'Credentials' });
  await expect(credentials.getByRole('row').filter({ hasText: 'Password' })).toContainText('version 1');

  // It asks first, saying what will happen; Cancel changes nothing.
  await details.getByRole('button', { name: 'Auto-reset' }).click();
  const autoReset = page.getByRole('dialog', { name: `Auto-reset ${username}` });
  await expect(autoReset.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(autoReset.getByRole('definition')).toHaveText(['Password', 'Generated from the policy', 'Yes']);
  await autoReset.getByRole('button', { name: 'Cancel' }).click();
  await expect(autoReset).toBeHidden();

  await details.getByRole('button', { name: 'Auto-reset' }).click();
  await autoReset.getByRole('button', { name: 'Auto-reset', exact: true }).click();
  // The same live progress as Reset Credentials.
  await expect(autoReset.getByRole('list', { name: 'Steps' })).toContainText('New credential made current');
  await expect(autoReset.getByText(/The new credential is set on .* and logs in: .* is InSync\./)).toBeVisible();
  await expect(autoReset.locator('.status-now')).toContainText('InSync');
  await autoReset.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(autoReset).toBeHidden();

  // The details window and the table follow: InSync, Compliant (generated from the policy), the password at version 2.
  await expect(details.getByRole('definition').first()).toContainText('InSync');
  await expect(details.getByRole('definition').filter({ hasText: /^Compliant$/ })).toBeVisible();
  await expect(credentials.getByRole('row').filter({ hasText: 'Password' })).toContainText('version 2');
  await details.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(statusOf(row)).toContainText('InSync');

  // One reset (Cancel sent nothing), of the password, generated, changed on the target.
  const jobs = await api.get<{ items: Job[] }>(`/jobs?accountId=${account.id}&kind=RESET`);
  expect(jobs.items).toHaveLength(1);
  expect(jobs.items[0]!.params).toMatchObject({ credentialType: 'PASSWORD', origin: 'GENERATED', changeOnTarget: true });
  // OpenSSH's own client: the generated password opens the host, the old one no longer does.
  const { secret } = await api.post<{ secret: string }>(`/accounts/${account.id}/checkout`, {});
  await api.post(`/accounts/${account.id}/checkin`);
  expect(secret).not.toBe('Before-auto-1');
  const login = await opensshLogin({ target: sshTarget, user: username, credential: { password: secret } });
  expect(login.code, login.stderr).toBe(0);
  expect((await opensshLogin({ target: sshTarget, user: username, credential: { password: 'Before-auto-1' } })).code).not.toBe(0);
});
