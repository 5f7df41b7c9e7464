import type { Account, Folder } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';

// The Import wizard: an administrator uploads a CSV whose headers are not the import's names, maps
// them, previews the dry run (nothing written yet), runs it, follows its progress, downloads the
// error report of the rows it skipped, and finds the imported accounts in the folder.

test('import wizard: upload, map columns, dry run, run with progress, error report, the accounts are there', async ({ page, api, uniq }) => {
  const folder = await api.post<Folder>('/folders', { name: `import-${uniq}` });
  const password = `Imp0rt!${uniq}-Secret-Pass`;
  const csv = [
    'Kind,Host,User,Secret,Where',
    `ssh,imp-a-${uniq},alice,${password},Linux/prod,`,
    `ssh,imp-b-${uniq},bob,${password}x,Linux,`,
    `telnet,imp-c-${uniq},carol,${password},,`,
  ].join('\n');

  await page.goto('/accounts');
  await page.getByRole('tab', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { name: 'Import secrets' })).toBeVisible();

  const upload = page.getByRole('form', { name: 'Upload a file to import' });
  await upload.getByLabel('File').setInputFiles({ name: 'secrets.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await upload.getByLabel('Import into').selectOption(folder.id);
  await upload.getByRole('button', { name: 'Next' }).click();

  // The headers are not the import's: the wizard asks which column is which.
  const map = page.getByRole('form', { name: 'Map the file’s columns' });
  await expect(map.getByLabel('Target_type (required)')).toBeVisible();
  await map.getByLabel('Target_type (required)').selectOption('Kind');
  await map.getByLabel('Target (required)').selectOption('Host');
  await map.getByLabel('Account', { exact: true }).selectOption('User');
  await map.getByLabel('Password', { exact: true }).selectOption('Secret');
  await map.getByLabel('Group_path', { exact: true }).selectOption('Where');
  await map.getByRole('button', { name: 'Preview' }).click();

  // The dry run: two rows would be created, one skipped; nothing exists yet.
  const preview = page.getByRole('region', { name: '3. Preview' });
  const rows = preview.getByRole('table', { name: 'What each row would do' });
  const rowOf = (text: string) => rows.getByRole('row').filter({ hasText: text });
  await expect(rowOf(`imp-a-${uniq}`)).toContainText('Linux/prod');
  await expect(rowOf(`imp-a-${uniq}`)).toContainText('Create');
  await expect(rowOf(`imp-c-${uniq}`)).toContainText('Skip');
  await expect(rowOf(`imp-c-${uniq}`)).toContainText('Target_type must be ssh');
  const before = await api.get<{ items: Account[] }>(`/accounts?folderId=${folder.id}`);
  expect(before.items).toEqual([]);

  await preview.getByRole('button', { name: 'Run import' }).click();
  const run = page.getByRole('region', { name: '4. Import' });
  await expect(run.getByRole('status')).toHaveText('The import is done.');
  await expect(run.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('aria-valuenow', '3');
  await expect(page).toHaveURL(/[?&]import=[0-9a-f-]{36}/);

  // The error report lists the skipped row with its reason, never a password.
  const download = page.waitForEvent('download');
  await run.getByRole('link', { name: 'Download the error report (CSV)' }).click();
  const report = await (await download).createReadStream();
  let text = '';
  for await (const chunk of report) text += String(chunk);
  expect(text).toContain(`telnet,imp-c-${uniq},carol,,skip,UNKNOWN_TARGET_TYPE`);
  expect(text).not.toContain(password);

  // The accounts are there, in the folders of their Group_path.
  await run.getByRole('link', { name: 'Show the imported accounts' }).click();
  await expect(page).toHaveURL(new RegExp(`folder=${folder.id}`));
  const accounts = page.getByRole('table', { name: 'Accounts' });
  await expect(accounts.getByRole('row').filter({ hasText: `imp-a-${uniq}` })).toContainText('alice');
  await expect(accounts.getByRole('row').filter({ hasText: `imp-b-${uniq}` })).toContainText('bob');
  const after = await api.get<{ items: Account[] }>(`/accounts?folderId=${folder.id}`);
  expect(after.items.map((a) => a.username).sort()).toEqual(['alice', 'bob']);
});
