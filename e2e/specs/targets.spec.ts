import type { Account } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';

test('adds a target, approves its host key by SHA256 fingerprint, edits it, opens its Accounts window', async ({ page, sshTarget, uniq, api }) => {
  const name = `web-${uniq}`;
  await page.goto('/targets');
  await page.getByRole('button', { name: 'Add target' }).click();
  const form = page.getByRole('dialog', { name: 'Add target' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Address').fill(sshTarget.host);
  await form.getByLabel('Port').fill(String(sshTarget.port));
  await form.getByRole('button', { name: 'Add target' }).click();

  // Saving leads straight to the host key: scan, compare, approve.
  const hostKey = page.getByRole('dialog', { name: `Host key of ${name}` });
  await expect(hostKey).toBeVisible();
  await hostKey.getByRole('button', { name: 'Scan host key' }).click();
  await expect(hostKey.getByTestId('offered-fingerprint')).toHaveText(sshTarget.fingerprints[0]!);
  await hostKey.getByRole('button', { name: 'Approve this key' }).click();
  await expect(hostKey.getByTestId('approved-fingerprint')).toHaveText(sshTarget.fingerprints[0]!);
  await hostKey.getByRole('button', { name: 'Close', exact: true }).last().click();

  await page.getByLabel('Search').fill(name);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row.getByText('Approved')).toBeVisible();

  // Edit through the context menu.
  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: `Edit target ${name}` });
  await edit.getByLabel('Description').fill('front web server');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();

  // The Accounts pop-up of the target, with the same Actions menu as the main tab.
  const target = (await api.get<{ items: { id: string; name: string }[] }>(`/targets?q=${name}`)).items[0]!;
  await api.post<Account>('/accounts', { targetId: target.id, username: `app${uniq}` });
  await page.reload();
  await page.getByLabel('Search').fill(name);
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Accounts' }).click();
  const popup = page.getByRole('dialog', { name: `Accounts of ${name}` });
  await expect(popup.getByRole('cell', { name: `app${uniq}`, exact: true })).toBeVisible();
  await popup.getByRole('button', { name: `Actions for app${uniq} on ${name}` }).click();
  await expect(page.getByRole('menuitem', { name: 'Reset Credentials' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'CheckOut' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(popup.getByRole('button', { name: `Actions for app${uniq} on ${name}` })).toBeFocused();
});

test('moving a target to another port unpins its host key until someone approves again', async ({ page, approvedTarget, sshTarget }) => {
  const name = approvedTarget.name;
  await page.goto('/targets');
  await page.getByLabel('Search').fill(name);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row.getByText('Approved')).toBeVisible();

  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: `Edit target ${name}` });
  await edit.getByLabel('Port').fill('2299');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(row.getByText('Pending approval')).toBeVisible();

  // Back on the right port, the key is still only pending: a person looks at it again.
  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  await edit.getByLabel('Port').fill(String(sshTarget.port));
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Host key' }).click();
  const hostKey = page.getByRole('dialog', { name: `Host key of ${name}` });
  await expect(hostKey.getByText('The target’s address or port changed')).toBeVisible();
  await hostKey.getByRole('button', { name: 'Scan host key' }).click();
  await expect(hostKey.getByTestId('offered-fingerprint')).toHaveText(sshTarget.fingerprints[0]!);
  await hostKey.getByRole('button', { name: 'Approve this key' }).click();
  await expect(hostKey.getByTestId('approved-fingerprint')).toHaveText(sshTarget.fingerprints[0]!);
});
