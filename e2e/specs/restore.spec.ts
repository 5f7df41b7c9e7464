import type { Credential, Job } from '@passman/contracts';
import { accountWithPassword, expect, test } from '../support/fixtures.js';
import { opensshLogin } from '../support/ssh.js';
import { accountAction, openAccount } from '../support/ui.js';

test('History: restore an older password on the target — the dialog says what happens on the host, the host takes the old password back', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const username = `rst${uniq}`;
  // Long and varied enough for the default policy, so restoring it raises no policy question.
  const first = `First-Passw0rd-${uniq}!`;
  const account = await accountWithPassword(api, sshTarget, approvedTarget, username, first);
  const reset = await api.post<Job>(`/accounts/${account.id}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: true });
  await expect.poll(async () => (await api.get<Job>(`/jobs/${reset.id}`)).state, { timeout: 30_000 }).toBe('succeeded');
  expect((await opensshLogin({ target: sshTarget, user: username, credential: { password: first } })).code).not.toBe(0);

  await openAccount(page, username);
  const history = await accountAction(page, username, approvedTarget.name, 'History');
  const versions = history.getByRole('table', { name: 'Versions of Password' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  // Only the retired version can be restored; no value is shown anywhere.
  await expect(versions.getByRole('button', { name: /Restore version/ })).toHaveCount(1);
  await expect(history).not.toContainText(first);
  await versions.getByRole('button', { name: 'Restore version 1' }).click();

  const dialog = page.getByRole('dialog', { name: 'Restore version 1 of Password' });
  await expect(dialog.getByRole('radio', { name: /On the target and in the vault/ })).toBeChecked();
  await expect(dialog).toContainText(`PassMan logs in to ${approvedTarget.name} and sets the password`);
  await expect(dialog).toContainText('If anything fails, the value that works now stays current.');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Restore on the target' }).click();
  await expect(dialog.getByText('New credential made current')).toBeVisible({ timeout: 30_000 });
  await expect(dialog.locator('.status-now')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();

  // The history now reads as it happened: version 3 holds version 1's value.
  await expect(versions.getByRole('row')).toHaveCount(4);
  await expect(versions.getByRole('row').nth(1)).toContainText('Restored from version 1');
  await expect(versions.getByRole('row').nth(1)).toContainText('Current');

  // OpenSSH's own client: the host accepts the restored password again, and no longer the generated one.
  const login = await opensshLogin({ target: sshTarget, user: username, credential: { password: first } });
  expect(login.code, login.stderr).toBe(0);
  const [credential] = (await api.get<{ items: Credential[] }>(`/accounts/${account.id}/credentials`)).items;
  expect(credential!.current).toMatchObject({ version: 3, origin: 'RESTORED', restoredFrom: 1 });
});
