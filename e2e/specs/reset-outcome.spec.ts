import type { Account, CredentialVersion, Job } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';
import { opensshLogin } from '../support/ssh.js';
import { openAccount } from '../support/ui.js';

test('a reset whose outcome is unknown: the account says so, Settle… reveals the new secret, confirming it makes it current and a Check proves it', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const managerName = `mgr${uniq}`;
  const username = `unk${uniq}`;
  const first = `First-Passw0rd-${uniq}!`;
  await sshTarget.addUsers([
    { name: managerName, password: 'Manager-password-1', sudoChpasswd: true },
    { name: username, password: first },
  ]);
  const manager = await api.post<Account>('/accounts', { targetId: approvedTarget.id, username: managerName });
  await api.post(`/accounts/${manager.id}/credentials`, { type: 'PASSWORD', value: 'Manager-password-1' });
  await api.call('PATCH', `/targets/${approvedTarget.id}`, { managingAccountId: manager.id });
  const account = await api.post<Account>('/accounts', { targetId: approvedTarget.id, username });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: first });

  // Its login shell is missing on the host: sshd refuses every login of it, yet the managing
  // account's sudo chpasswd changes its password. Neither the new nor the previous one logs in: OUTCOME_UNKNOWN.
  expect((await sshTarget.run(['usermod', '-s', '/nonexistent', username])).code).toBe(0);
  const reset = await api.post<Job>(`/accounts/${account.id}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: true });
  await expect.poll(async () => (await api.get<Job>(`/jobs/${reset.id}`)).errorCode, { timeout: 30_000 }).toBe('OUTCOME_UNKNOWN');
  // Someone fixes the host: it holds the new password.
  expect((await sshTarget.run(['usermod', '-s', '/bin/bash', username])).code).toBe(0);

  const row = await openAccount(page, username);
  await row.getByRole('button', { name: `Account details of ${username} on ${approvedTarget.name}` }).click();
  const details = page.getByRole('dialog', { name: `Account details: ${username}` });
  await expect(details.getByText('The outcome of the last reset is unknown.')).toBeVisible();
  await details.getByRole('button', { name: 'Settle…' }).click();

  const settle = page.getByRole('dialog', { name: `Settle the reset of ${username}` });
  await expect(settle.getByRole('button', { name: 'Confirm' })).toBeDisabled();
  await settle.getByRole('button', { name: 'CheckOut the new secret (version 2)' }).click();
  await settle.getByRole('button', { name: 'Show what was typed' }).click();
  const secret = (await settle.getByTestId('checked-out-secret').textContent()) ?? '';
  expect(secret).not.toBe(first);
  // The person tries it on the host before saying so.
  const login = await opensshLogin({ target: sshTarget, user: username, credential: { password: secret } });
  expect(login.code, login.stderr).toBe(0);
  await settle.getByRole('button', { name: 'CheckIn' }).click();
  await expect(settle.getByRole('button', { name: 'CheckOut the previous secret (version 1)' })).toBeVisible();

  await settle.getByRole('radio', { name: /The new secret \(version 2\)/ }).check();
  await settle.getByLabel('Reason').fill('logged in with it');
  await settle.getByRole('button', { name: 'Confirm' }).click();
  await expect(settle.getByText('Version 2 is current now and the reset is settled.')).toBeVisible();
  await settle.getByRole('button', { name: 'Check now' }).click();
  await expect(settle.getByText(`Every credential logs in: ${username} on ${approvedTarget.name} is InSync.`)).toBeVisible({ timeout: 30_000 });
  await settle.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(details.getByText('The outcome of the last reset is unknown.')).toBeHidden();

  const job = await api.get<Job>(`/jobs/${reset.id}`);
  expect(job).toMatchObject({ state: 'succeeded', errorCode: null });
  expect(job.steps.at(-1)).toMatchObject({ step: 'confirm', detail: { targetHolds: 'NEW', version: 2 } });
  const [credential] = (await api.get<{ items: { id: string }[] }>(`/accounts/${account.id}/credentials`)).items;
  const versions = (await api.get<{ items: CredentialVersion[] }>(`/credentials/${credential!.id}/versions`)).items;
  expect(versions.map((v) => [v.version, v.state])).toEqual([
    [2, 'CURRENT'],
    [1, 'RETIRED'],
  ]);
});
