import { accountWithPassword, expect, test } from '../support/fixtures.js';

test('checks selected accounts as one batch with live progress, listed on the Jobs page', async ({ page, api, sshTarget, approvedTarget, uniq }) => {
  const names = [`b${uniq}a`, `b${uniq}b`, `b${uniq}c`];
  for (const name of names) await accountWithPassword(api, sshTarget, approvedTarget, name, 'Batch-password-1');
  await page.goto(`/accounts?q=b${uniq}`);
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row')).toHaveCount(4);
  await table.getByRole('checkbox', { name: 'Select all rows on this page' }).check();
  await expect(page.getByText('3 selected')).toBeVisible();
  await page.getByRole('button', { name: 'Check selected' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check 3 accounts' });
  await dialog.getByRole('button', { name: 'Check them' }).click();
  await expect(dialog.getByText('Done: 3 of 3')).toBeVisible();
  await expect(dialog.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '3');
  await dialog.getByRole('link', { name: 'Open Jobs' }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByRole('region', { name: /Check batch of/ }).first()).toBeVisible();
  const jobs = page.getByRole('table', { name: 'Jobs' });
  for (const name of names)
    await expect(
      jobs
        .getByRole('row')
        .filter({ hasText: `${name} on ${approvedTarget.name}` })
        .first(),
    ).toContainText('Succeeded');
  await page.goto(`/accounts?q=b${uniq}`);
  await expect(table.getByRole('row').filter({ hasText: 'InSync' })).toHaveCount(3);
});

test('a vault-only bulk reset of InSync accounts asks first; confirmed, they change in the vault only and lose InSync', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const accounts = [
    await accountWithPassword(api, sshTarget, approvedTarget, `v${uniq}a`, 'Vault-only-password-1'),
    await accountWithPassword(api, sshTarget, approvedTarget, `v${uniq}b`, 'Vault-only-password-1'),
  ];
  const check = await api.post<{ id: string }>('/jobs/bulk', { kind: 'CHECK', accountIds: accounts.map((a) => a.id) });
  await expect.poll(async () => (await api.get<{ done: boolean }>(`/batches/${check.id}`)).done).toBe(true);
  const resetJobs = async () =>
    (await api.get<{ items: { kind: string }[] }>(`/jobs?accountId=${accounts[0]!.id}`)).items.filter((j) => j.kind === 'RESET').length;

  await page.goto(`/accounts?q=v${uniq}`);
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('row').filter({ hasText: 'InSync' })).toHaveCount(2);
  await table.getByRole('checkbox', { name: 'Select all rows on this page' }).check();
  await page.getByRole('button', { name: 'Reset selected' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset 2 accounts' });
  await dialog.getByRole('checkbox', { name: 'Change on target' }).uncheck();
  await dialog.getByRole('button', { name: 'Reset them' }).click();

  const confirm = page.getByRole('alertdialog', { name: 'Lose InSync status?' });
  await expect(confirm).toContainText('2 of the selected accounts are InSync');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  expect(await resetJobs()).toBe(0);

  await dialog.getByRole('button', { name: 'Reset them' }).click();
  await confirm.getByRole('button', { name: 'Change in vault only' }).click();
  await expect(dialog.getByText('Done: 2 of 2')).toBeVisible({ timeout: 30_000 });
  expect(await resetJobs()).toBe(1);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // The vault now holds generated passwords the hosts never saw: the accounts are no longer InSync.
  await expect(table.getByRole('row').filter({ hasText: 'NotInSync' })).toHaveCount(2, { timeout: 15_000 });
});
