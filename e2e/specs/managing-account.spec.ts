import type { Account, Job, Target } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';
import { opensshLogin } from '../support/ssh.js';

test('a managing account chosen in the target form resets an account whose stored password is stale (sudo chpasswd)', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const managerName = `mgr${uniq}`;
  const username = `app${uniq}`;
  // The managing user may run chpasswd through sudo, with its own password (sent on stdin).
  await sshTarget.addUsers([
    { name: managerName, password: 'Manager-password-1', sudoChpasswd: true },
    { name: username, password: 'Changed-elsewhere-2' },
  ]);
  const manager = await api.post<Account>('/accounts', { targetId: approvedTarget.id, username: managerName });
  await api.post(`/accounts/${manager.id}/credentials`, { type: 'PASSWORD', value: 'Manager-password-1' });
  // The vault holds a password the host no longer takes (changed behind PassMan's back): the account cannot change itself.
  const account = await api.post<Account>('/accounts', { targetId: approvedTarget.id, username });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: 'Stale-password-1' });
  expect((await opensshLogin({ target: sshTarget, user: username, credential: { password: 'Stale-password-1' } })).code).not.toBe(0);

  // Edit target: choose the managing account among the target's own accounts.
  await page.goto('/targets');
  await page.getByLabel('Search').fill(approvedTarget.name);
  await page.getByRole('button', { name: `Actions for ${approvedTarget.name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const form = page.getByRole('dialog', { name: `Edit target ${approvedTarget.name}` });
  const managing = form.getByLabel('Managing account', { exact: true });
  await expect(managing).toHaveValue('');
  await expect(managing.locator('option', { hasText: username })).toHaveCount(1);
  await expect(form.getByText(/sets the password with sudo chpasswd, or installs the SSH key as the user with sudo -u/)).toBeVisible();
  await managing.selectOption({ label: managerName });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  expect((await api.get<Target>(`/targets/${approvedTarget.id}`)).managingAccount).toEqual({ id: manager.id, username: managerName });

  // The form shows the current one when opened again; the Accounts window shows it too.
  await page.getByRole('button', { name: `Actions for ${approvedTarget.name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  await expect(form.getByLabel('Managing account', { exact: true })).toHaveValue(manager.id);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: `Actions for ${approvedTarget.name}` }).click();
  await page.getByRole('menuitem', { name: 'Accounts' }).click();
  const popup = page.getByRole('dialog', { name: `Accounts of ${approvedTarget.name}` });
  await expect(popup.getByRole('definition').filter({ hasText: managerName })).toBeVisible();

  // Reset Credentials of the stale account, from the same window: the managing account changes it.
  await popup.getByRole('button', { name: `Actions for ${username} on ${approvedTarget.name}` }).click();
  await page.getByRole('menuitem', { name: 'Reset Credentials' }).click();
  const reset = page.getByRole('dialog', { name: `Reset credential for ${username}` });
  await reset.getByRole('button', { name: 'Generate and Save' }).click();
  await expect(reset.getByText(/logs in: .* is InSync/)).toBeVisible();
  await expect(reset.getByText('Changing it on the target (through the managing account)')).toBeVisible();
  await expect(reset.locator('.status-now')).toContainText('InSync');

  const jobs = await api.get<{ items: Job[] }>(`/jobs?accountId=${account.id}&kind=RESET`);
  expect(jobs.items.map((j) => j.state)).toEqual(['succeeded']);
  expect(jobs.items[0]!.steps.find((s) => s.step === 'apply' && s.status === 'done')?.detail).toMatchObject({ via: 'sudo' });
  // OpenSSH's own client: the new password opens the host, the one changed elsewhere no longer does.
  const { secret } = await api.post<{ secret: string }>(`/accounts/${account.id}/checkout`, {});
  await api.post(`/accounts/${account.id}/checkin`);
  const login = await opensshLogin({ target: sshTarget, user: username, credential: { password: secret } });
  expect(login.code, login.stderr).toBe(0);
  expect((await opensshLogin({ target: sshTarget, user: username, credential: { password: 'Changed-elsewhere-2' } })).code).not.toBe(0);
});
