import { expect, test } from '../support/fixtures.js';
import { opensshLogin } from '../support/ssh.js';
import { accountAction, checkOutSecret, openAccount } from '../support/ui.js';

const KEY_TYPES = ['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-dss', 'ssh-ed25519'] as const;

test('resets an SSH key of each type on the target; each new key logs in over ssh', async ({ page, api, sshTarget, approvedTarget, uniq }) => {
  test.setTimeout(120_000);
  const username = `key${uniq}`;
  await sshTarget.addUsers([{ name: username, password: 'Key-host-password-1' }]);
  const account = await api.post<{ id: string }>('/accounts', { targetId: approvedTarget.id, username });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: 'Key-host-password-1' });
  for (const sshKeyType of KEY_TYPES) await api.post(`/accounts/${account.id}/credentials`, { type: 'SSH_KEY', sshKeyType, generate: true });
  await openAccount(page, username);

  for (const keyType of KEY_TYPES) {
    const reset = await accountAction(page, username, approvedTarget.name, 'Reset Credentials');
    await reset.getByLabel('Credential type').selectOption('SSH_KEY');
    // Several keys: the list is shown, ssh-rsa (the default) first and selected.
    const keyList = reset.getByLabel('SSH key', { exact: true });
    await expect(keyList).toHaveValue(/.+/);
    await expect(keyList.locator('option:checked')).toHaveText('ssh-rsa (default)');
    await keyList.selectOption({ label: keyType === 'ssh-rsa' ? 'ssh-rsa (default)' : keyType });
    await reset.getByRole('button', { name: 'Generate and Save' }).click();
    await expect(reset.getByText(/logs in: .* is InSync/)).toBeVisible({ timeout: 30_000 });
    await reset.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(reset).toBeHidden();

    const { secret, publicKey } = await checkOutSecret(page, username, approvedTarget.name, `SSH key (${keyType})`);
    expect(publicKey).toMatch(new RegExp(`^${keyType} `));
    const login = await opensshLogin({ target: sshTarget, user: username, credential: { privateKey: `${secret.trim()}\n` } });
    expect(login.code, `${keyType}: ${login.stderr}`).toBe(0);
  }
});
