import type { Target } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';

test('adds an account and a credential from the UI', async ({ page, api, uniq }) => {
  const target = await api.post<Target>('/targets', { name: `db-${uniq}`, address: '127.0.10.250', port: 2222 });
  const username = `svc${uniq}`;
  await page.goto('/accounts');
  await page.getByRole('button', { name: 'Add account' }).click();
  const form = page.getByRole('dialog', { name: 'Add account' });
  await form.getByLabel('Target').selectOption({ label: target.name });
  await form.getByLabel('Username').fill('Not Valid');
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(form.getByText(/Use a POSIX user name/)).toBeVisible();
  // A trailing $ (Samba machine accounts) is refused like any shell metacharacter.
  await form.getByLabel('Username').fill(`${username}$`);
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(form.getByText(/Use a POSIX user name/)).toBeVisible();
  await form.getByLabel('Username').fill(username);
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(form).toBeHidden();

  await page.getByLabel('Search').fill(username);
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
  await expect(row.getByText('Unknown')).toBeVisible();

  // The "i" window: add a typed password.
  await row.getByRole('button', { name: `Account details of ${username} on ${target.name}` }).click();
  const details = page.getByRole('dialog', { name: `Account details: ${username}` });
  await expect(details.getByText('This account has no credential yet.')).toBeVisible();
  await details.getByRole('button', { name: 'Add credential' }).click();
  const add = page.getByRole('dialog', { name: `Add credential to ${username}` });
  await add.getByLabel('Password', { exact: true }).fill('Typed-password-1');
  await add.getByRole('button', { name: 'Add credential' }).click();
  await expect(add).toBeHidden();
  await expect(details.getByRole('table', { name: 'Credentials' }).getByText('Password')).toBeVisible();
  await expect(details.getByRole('button', { name: 'Add credential' })).toBeFocused();
});

test('pages through accounts with server-side keyset paging, searches and filters', async ({ page, api, uniq }) => {
  const target = await api.post<Target>('/targets', { name: `fleet-${uniq}`, address: '127.0.10.251', port: 2222 });
  const names = Array.from({ length: 30 }, (_, i) => `p${uniq}n${String(i).padStart(2, '0')}`);
  for (const username of names) await api.post('/accounts', { targetId: target.id, username });

  await page.goto(`/accounts?q=p${uniq}&size=25`);
  const table = page.getByRole('table', { name: 'Accounts' });
  await expect(table.getByRole('cell', { name: names[0], exact: true })).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(26);
  await expect(page.getByText('Rows 1–25 · page 1')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Rows 26–30 · page 2')).toBeVisible();
  await expect(table.getByRole('cell', { name: names[29], exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(table.getByRole('cell', { name: names[0], exact: true })).toBeVisible();

  // Sort descending by account: the last name comes first.
  await table.getByRole('button', { name: 'Account', exact: true }).click();
  await expect(table.getByRole('columnheader', { name: 'Account' })).toHaveAttribute('aria-sort', 'descending');
  await expect(table.getByRole('row').nth(1)).toContainText(names[29]!);

  // Search narrows on the server; the status filter too.
  await page.getByLabel('Search').fill(names[7]!);
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.getByLabel('Status').selectOption('InSync');
  await expect(page.getByText('No account matches')).toBeVisible();
});
