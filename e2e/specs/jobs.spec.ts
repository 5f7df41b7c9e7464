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
  for (const name of names) await expect(jobs.getByRole('row').filter({ hasText: `${name} on ${approvedTarget.name}` }).first()).toContainText('Succeeded');
  await page.goto(`/accounts?q=b${uniq}`);
  await expect(table.getByRole('row').filter({ hasText: 'InSync' })).toHaveCount(3);
});
