import { accountWithPassword, expect, test } from '../support/fixtures.js';
import { opensshLogin } from '../support/ssh.js';
import { accountAction, checkOutSecret, openAccount, statusOf } from '../support/ui.js';

test('Check → InSync; Reset with Generate and Save on the target → InSync, and the new password logs in over ssh', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const username = `ops${uniq}`;
  await accountWithPassword(api, sshTarget, approvedTarget, username, 'First-password-1');

  const row = await openAccount(page, username);
  await expect(statusOf(row)).toContainText('Unknown');
  const check = await accountAction(page, username, approvedTarget.name, 'Check');
  await expect(check.getByText(/Every credential logs in/)).toBeVisible();
  await expect(check.getByRole('list', { name: 'Result per credential' })).toContainText('true');
  await check.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(statusOf(row)).toContainText('InSync');

  const reset = await accountAction(page, username, approvedTarget.name, 'Reset Credentials');
  await expect(reset.getByRole('heading', { name: `Reset credential for ${username}` })).toBeVisible();
  await expect(reset.getByLabel('Credential type')).toHaveValue('PASSWORD');
  await expect(reset.getByLabel('Change on target')).toBeChecked();
  await reset.getByRole('button', { name: 'Generate and Save' }).click();
  await expect(reset.getByText(/logs in: .* is InSync/)).toBeVisible();
  await expect(reset.getByText('New credential made current')).toBeVisible();
  await reset.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(statusOf(row)).toContainText('InSync');

  // CheckOut shows the generated password; OpenSSH's own client proves the target took it.
  const { secret } = await checkOutSecret(page, username, approvedTarget.name);
  expect(secret).not.toBe('First-password-1');
  expect(secret.length).toBeGreaterThanOrEqual(8);
  const login = await opensshLogin({ target: sshTarget, user: username, credential: { password: secret } });
  expect(login.code, login.stderr).toBe(0);
  const old = await opensshLogin({ target: sshTarget, user: username, credential: { password: 'First-password-1' } });
  expect(old.code).not.toBe(0);
});

test('a vault-only reset of an InSync account warns, asks, and leaves it NotInSync; CheckOut shows the new secret', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const username = `vlt${uniq}`;
  const account = await accountWithPassword(api, sshTarget, approvedTarget, username, 'Works-on-host-1');
  const row = await openAccount(page, username);
  const check = await accountAction(page, username, approvedTarget.name, 'Check');
  await expect(check.getByText(/is InSync/)).toBeVisible();
  await check.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(statusOf(row)).toContainText('InSync');

  const reset = await accountAction(page, username, approvedTarget.name, 'Reset Credentials');
  const field = reset.getByLabel('New password');
  // Longer than PAM takes (the contracts' limit): said at once, nothing sent.
  await field.fill(`${'€'.repeat(170)}xy`);
  await reset.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(reset.getByText('It can be at most 511 bytes long: a target cannot take a longer one.')).toBeVisible();
  await field.fill('Only-in-vault-2');
  await expect(field).toHaveAttribute('type', 'password');
  await reset.getByRole('button', { name: 'Show what was typed' }).click();
  await expect(field).toHaveAttribute('type', 'text');
  await reset.getByLabel('Change on target').uncheck();
  await expect(reset.getByText(/loses its InSync status/)).toBeVisible();
  await reset.getByRole('button', { name: 'Save', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Lose InSync status?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Change in vault only' }).click();
  await expect(reset.getByText(/stored in the vault only/)).toBeVisible();
  await expect(reset.locator('.status-now')).toContainText('NotInSync');
  await reset.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(statusOf(row)).toContainText('NotInSync');

  const { secret } = await checkOutSecret(page, username, approvedTarget.name);
  expect(secret).toBe('Only-in-vault-2');
  // The target still has the old password.
  const login = await opensshLogin({ target: sshTarget, user: username, credential: { password: 'Works-on-host-1' } });
  expect(login.code).toBe(0);
  expect((await api.get<{ status: string }>(`/accounts/${account.id}`)).status).toBe('NotInSync');
});

test('errors in words: a PIN on the target is refused, a root-owned .ssh is explained', async ({ page, api, sshTarget, approvedTarget, uniq }) => {
  const username = `err${uniq}`;
  await sshTarget.addUsers([{ name: username, password: 'Err-password-1', sshDirOwner: 'root' }]);
  const account = await api.post<{ id: string }>('/accounts', { targetId: approvedTarget.id, username });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: 'Err-password-1' });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PIN', value: '482913' });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true });
  await openAccount(page, username);

  let reset = await accountAction(page, username, approvedTarget.name, 'Reset Credentials');
  await reset.getByLabel('Credential type').selectOption('PIN');
  await expect(reset.getByText('A PIN cannot be changed on an SSH target.', { exact: false }).first()).toBeVisible();
  await reset.getByRole('button', { name: 'Generate and Save' }).click();
  const alert = reset.getByRole('alert').filter({ hasText: 'A PIN cannot be changed on this target' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/Request ID: \S+/);
  await reset.getByRole('button', { name: 'Cancel' }).click();

  reset = await accountAction(page, username, approvedTarget.name, 'Reset Credentials');
  await reset.getByLabel('Credential type').selectOption('SSH_KEY');
  await reset.getByRole('button', { name: 'Generate and Save' }).click();
  await expect(reset.getByText(/does not belong to the user/).first()).toBeVisible();
  await expect(reset.getByText('The credential was not changed.')).toBeVisible();
});
