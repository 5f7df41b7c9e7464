import { readFile } from 'node:fs/promises';
import type { Account, Target } from '@passman/contracts';
import argon2 from 'argon2';
import kdbxweb from 'kdbxweb';
import { expect, test } from '../support/fixtures.js';

// kdbxweb leaves Argon2 to its host; the spec opens the exported file with the same native argon2 PassMan uses.
kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memory, iterations, length, parallelism, type, version) => {
  const hash = await argon2.hash(Buffer.from(password), {
    raw: true,
    salt: Buffer.from(salt),
    memoryCost: memory,
    timeCost: iterations,
    parallelism,
    hashLength: length,
    type: type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? argon2.argon2id : argon2.argon2d,
    version,
  });
  return hash.buffer.slice(hash.byteOffset, hash.byteOffset + hash.byteLength) as ArrayBuffer;
});

test('the Noncompliant report: filters in the address, a chart, and a CSV download with hostile cells escaped', async ({ page, api, uniq }) => {
  const folder = await api.post<{ id: string; name: string }>('/folders', { name: `reports-${uniq}` });
  const policy = await api.post<{ id: string; name: string }>('/policies', { name: `long-${uniq}`, passwordLength: 40 });
  // A target whose name a spreadsheet would run as a formula.
  const target = await api.post<Target>('/targets', {
    name: `=HYPERLINK("http://evil.example";"${uniq}")`,
    address: '127.0.10.251',
    port: 2222,
    folderId: folder.id,
  });
  const account = await api.post<Account>('/accounts', { targetId: target.id, username: `svc${uniq}`, policyId: policy.id });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: 'Short-pw-1!' });

  await page.goto('/reports');
  await expect(page.getByRole('navigation', { name: 'Reports' })).toBeVisible();
  await page.getByRole('link', { name: 'Noncompliant' }).click();
  await page.getByLabel('Folder').selectOption(folder.id);
  await expect(page).toHaveURL(new RegExp(`/reports/noncompliant\\?.*folder=${folder.id}`));
  const table = page.getByRole('table', { name: 'Noncompliant' });
  await expect(table.getByRole('row').filter({ hasText: `svc${uniq}` })).toBeVisible();
  await expect(page.getByTestId('report-total')).toHaveText('1 row');
  await expect(page.getByRole('img', { name: `Accounts per policy: ${policy.name}: 1` })).toBeVisible();

  // A reload keeps the filters.
  await page.reload();
  await expect(table.getByRole('row').filter({ hasText: `svc${uniq}` })).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^passman-noncompliant-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('Target,Address,Account,Account ID,Policy,Compliance,Last changed (UTC)');
  expect(lines).toHaveLength(3);
  expect(lines[2]).toBe('');
  // The formula cell starts with an apostrophe (and is quoted, for its quotes); the last cell is the time of the last change.
  expect(lines[1]!.startsWith(`"'=HYPERLINK(""http://evil.example"";""${uniq}"")",127.0.10.251,svc${uniq},${account.id},${policy.name},Noncompliant,`)).toBe(
    true,
  );
});

test('exports the secrets of a folder to a KeePass file that opens with the password typed', async ({ page, api, uniq }) => {
  const folder = await api.post<{ id: string; name: string }>('/folders', { name: `export-${uniq}` });
  const target = await api.post<Target>('/targets', { name: `kdbx-${uniq}`, address: '127.0.10.251', port: 2222, folderId: folder.id });
  const account = await api.post<Account>('/accounts', { targetId: target.id, username: `kp${uniq}` });
  const secret = `Kdbx-secret-${uniq}!`;
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: secret });
  const filePassword = `file password ${uniq}`;

  await page.goto(`/reports/export?folder=${folder.id}`);
  await page.getByLabel('File password', { exact: true }).fill(filePassword);
  await page.getByLabel('Repeat the file password').fill(filePassword);
  await page.getByLabel('Reason (recorded in the audit trail)').fill('e2e');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export secrets' }).click()]);
  await expect(page.getByText('The KeePass file was downloaded.')).toBeVisible();
  expect(download.suggestedFilename()).toMatch(/^passman-export-\d{4}-\d{2}-\d{2}\.kdbx$/);
  const file = await readFile((await download.path())!);
  expect(file.includes(Buffer.from(secret))).toBe(false);
  const db = await kdbxweb.Kdbx.load(
    file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
    new kdbxweb.Credentials(kdbxweb.ProtectedValue.fromString(filePassword)),
  );
  const entries = [...db.getDefaultGroup().allEntries()];
  expect(entries.map((e) => e.fields.get('UserName'))).toEqual([`kp${uniq}`]);
  expect((entries[0]!.fields.get('Password') as kdbxweb.ProtectedValue).getText()).toBe(secret);
  // The export is in the Activity report, as a checkout of the account.
  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(
    page
      .getByRole('table', { name: 'Activity' })
      .getByRole('row')
      .filter({ hasText: `kp${uniq}` })
      .filter({ hasText: 'Check out' }),
  ).toBeVisible();
});
