import type { Target } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';

// A list's filters, sort, page size and page live in the address: a reload shows the same rows,
// and the back button returns to the page before.

test('accounts: search, sort, page size and page survive a reload, and Back returns to the page before', async ({ page, api, uniq }) => {
  const target = await api.post<Target>('/targets', { name: `url-${uniq}`, address: '127.0.10.252', port: 2222 });
  const names = Array.from({ length: 30 }, (_, i) => `u${uniq}n${String(i).padStart(2, '0')}`);
  for (const username of names) await api.post('/accounts', { targetId: target.id, username });

  await page.goto('/accounts');
  const table = page.getByRole('table', { name: 'Accounts' });
  await page.getByLabel('Search').fill(`u${uniq}`);
  await expect(page).toHaveURL(new RegExp(`[?&]q=u${uniq}`));
  await table.getByRole('button', { name: 'Account', exact: true }).click();
  await expect(page).toHaveURL(/[?&]sort=-username/);
  await page.getByLabel('Rows per page').selectOption('25');
  await expect(page).toHaveURL(/[?&]size=25/);
  await expect(table.getByRole('row').nth(1)).toContainText(names[29]!);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Rows 26–30 · page 2')).toBeVisible();
  await expect(page).toHaveURL(/[?&]pages=/);

  await page.reload();
  await expect(page.getByText('Rows 26–30 · page 2')).toBeVisible();
  await expect(page.getByLabel('Search')).toHaveValue(`u${uniq}`);
  await expect(table.getByRole('columnheader', { name: 'Account' })).toHaveAttribute('aria-sort', 'descending');
  await expect(table.getByRole('row').nth(1)).toContainText(names[4]!);

  await page.goBack();
  await expect(page.getByText('Rows 1–25 · page 1')).toBeVisible();
  await expect(table.getByRole('row').nth(1)).toContainText(names[29]!);
  await expect(page.getByLabel('Search')).toHaveValue(`u${uniq}`);

  // Another tab and back: the list is as it was left.
  await page.getByRole('tab', { name: 'Targets' }).click();
  await expect(page).toHaveURL(/\/targets/);
  await page.goBack();
  await expect(page.getByText('Rows 1–25 · page 1')).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Account' })).toHaveAttribute('aria-sort', 'descending');
});

test('targets: search and page survive a reload; Back goes to the first page', async ({ page, api, uniq }) => {
  for (let i = 0; i < 27; i += 1) await api.post('/targets', { name: `t${uniq}-${String(i).padStart(2, '0')}`, address: `127.0.11.${i + 1}`, port: 2222 });

  await page.goto('/targets');
  await page.getByLabel('Search').fill(`t${uniq}`);
  await expect(page).toHaveURL(new RegExp(`[?&]q=t${uniq}`));
  await page.getByLabel('Rows per page').selectOption('25');
  const table = page.getByRole('table', { name: 'Targets' });
  await expect(table.getByRole('row')).toHaveCount(26);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Rows 26–27 · page 2')).toBeVisible();

  await page.reload();
  await expect(page.getByText('Rows 26–27 · page 2')).toBeVisible();
  await expect(table.getByRole('cell', { name: `t${uniq}-26`, exact: true })).toBeVisible();

  await page.goBack();
  await expect(page.getByText('Rows 1–25 · page 1')).toBeVisible();
  await expect(table.getByRole('cell', { name: `t${uniq}-00`, exact: true })).toBeVisible();
});

test('a target’s Accounts window and its page live in the address: reload reopens it there, Back steps back', async ({ page, api, uniq }) => {
  const target = await api.post<Target>('/targets', { name: `w${uniq}`, address: '127.0.10.253', port: 2222 });
  const names = Array.from({ length: 27 }, (_, i) => `w${uniq}a${String(i).padStart(2, '0')}`);
  for (const username of names) await api.post('/accounts', { targetId: target.id, username });

  await page.goto(`/targets?q=w${uniq}`);
  await page.getByRole('button', { name: `Open the 27 accounts of ${target.name}` }).click();
  const window = page.getByRole('dialog', { name: `Accounts of ${target.name}` });
  await expect(window).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`accountsOf=${target.id}`));
  await window.getByLabel('Rows per page').selectOption('25');
  await window.getByRole('button', { name: 'Next' }).click();
  await expect(window.getByText('Rows 26–27 · page 2')).toBeVisible();

  await page.reload();
  await expect(window.getByText('Rows 26–27 · page 2')).toBeVisible();
  await expect(window.getByRole('cell', { name: names[26], exact: true })).toBeVisible();

  await page.goBack();
  await expect(window.getByText('Rows 1–25 · page 1')).toBeVisible();
  await page.goBack();
  await expect(window).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/targets\\?q=w${uniq}$`));
});

test('jobs, audit and users keep their filters and page size in the address', async ({ page }) => {
  await page.goto('/jobs');
  await page.getByLabel('State').selectOption('failed');
  await page.getByLabel('Job', { exact: true }).selectOption('RESET');
  await expect(page).toHaveURL(/state=failed/);
  await page.reload();
  await expect(page.getByLabel('State')).toHaveValue('failed');
  await expect(page.getByLabel('Job', { exact: true })).toHaveValue('RESET');

  await page.goto('/audit');
  await page.getByLabel('Outcome').selectOption('denied');
  await page.getByLabel('Rows per page').selectOption('100');
  await expect(page).toHaveURL(/outcome=denied/);
  await page.reload();
  await expect(page.getByLabel('Outcome')).toHaveValue('denied');
  await expect(page.getByLabel('Rows per page')).toHaveValue('100');

  await page.goto('/users?size=25');
  await expect(page.getByLabel('Rows per page')).toHaveValue('25');
  // A value the page does not offer is ignored, not an error.
  await page.goto('/users?size=7');
  await expect(page.getByLabel('Rows per page')).toHaveValue('50');
});
