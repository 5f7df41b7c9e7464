import type { Locator, Page } from '@playwright/test';
import type { Account, Folder, FolderList, Group, Target } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';
import type { PassmanApi } from '../support/passman-api.js';
import { createOperator, signInAs } from '../support/users.js';
import { pick } from '../support/ui.js';

// The vault tree beside the Accounts and Targets tabs, the folder windows, the Permissions tab and
// the Groups page. The tests share one PassMan, so each makes folders of its own under the root, and
// only the test that renames the root (for a while) relies on its name.

const treeOf = (page: Page) => page.getByRole('tree', { name: 'Folders' });
const folderItem = (page: Page, name: string) => treeOf(page).getByRole('treeitem', { name, exact: true });

/** Chooses a folder in the tree by clicking its own row (a tree item also holds its children's rows). */
async function chooseFolder(item: Locator): Promise<void> {
  await item.locator(':scope > .tree__row').click();
  await expect(item).toHaveAttribute('aria-selected', 'true');
}

async function folderNamed(api: PassmanApi, name: string): Promise<Folder> {
  const found = (await api.get<FolderList>('/folders')).items.find((f) => f.name === name);
  if (!found) throw new Error(`no folder ${name}`);
  return found;
}

test('an administrator builds a small tree with the mouse and the keyboard, files a new target in it, and moves a target into it', async ({
  page,
  api,
  uniq,
}) => {
  const target = await api.post<Target>('/targets', { name: `mv-${uniq}`, address: '127.0.10.251', port: 2222 });
  const account = await api.post<Account>('/accounts', { targetId: target.id, username: `svc${uniq}` });
  const ops = `ops-${uniq}`;

  await page.goto('/targets');
  const root = treeOf(page).getByRole('treeitem').first();
  await expect(root).toHaveAttribute('aria-selected', 'true');
  await expect(root).toHaveAttribute('aria-level', '1');

  // A folder under the root, then one under it.
  await page.getByRole('button', { name: 'New folder' }).click();
  let form = page.getByRole('dialog', { name: 'New folder' });
  await form.getByLabel('Name').fill(ops);
  await form.getByRole('button', { name: 'Create folder' }).click();
  await expect(form).toBeHidden();
  const opsItem = folderItem(page, ops);
  await chooseFolder(opsItem);
  const opsFolder = await folderNamed(api, ops);
  await expect(page).toHaveURL(new RegExp(`[?&]folder=${opsFolder.id}`));

  await page.getByRole('button', { name: 'New folder' }).click();
  form = page.getByRole('dialog', { name: 'New folder' });
  await expect(form).toContainText(` / ${ops}`);
  await form.getByLabel('Name').fill('db');
  await form.getByRole('button', { name: 'Create folder' }).click();
  await expect(form).toBeHidden();
  const dbItem = opsItem.getByRole('treeitem', { name: 'db', exact: true });
  await expect(opsItem).toHaveAttribute('aria-expanded', 'true');
  await expect(dbItem).toHaveAttribute('aria-level', '3');
  const dbFolder = (await api.get<FolderList>('/folders')).items.find((f) => f.parentId === opsFolder.id)!;

  // The keyboard: Down to the subfolder, Enter chooses it, Left goes back up, Left again closes, Right opens.
  await chooseFolder(opsItem);
  await expect(opsItem).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(dbItem).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dbItem).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(new RegExp(`[?&]folder=${dbFolder.id}`));
  await page.keyboard.press('ArrowLeft');
  await expect(opsItem).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(opsItem).toHaveAttribute('aria-expanded', 'false');
  await expect(dbItem).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(dbItem).toBeVisible();

  // A new target goes into the chosen folder.
  await page.getByRole('button', { name: 'Add target' }).click();
  const add = page.getByRole('dialog', { name: 'Add target' });
  await expect(add.getByLabel('Folder')).toHaveValue(dbFolder.id);
  await add.getByLabel('Name').fill(`web-${uniq}`);
  await add.getByLabel('Address').fill('127.0.10.247');
  await add.getByRole('button', { name: 'Add target' }).click();
  const hostKey = page.getByRole('dialog', { name: `Host key of web-${uniq}` });
  await hostKey.getByRole('button', { name: 'Close', exact: true }).last().click();
  const targets = page.getByRole('table', { name: 'Targets' });
  await expect(targets.getByRole('row').filter({ hasText: `web-${uniq}` })).toContainText('db');
  await expect(targets.getByRole('row').filter({ hasText: `mv-${uniq}` })).toHaveCount(0);

  // Move the target made in the root into the folder.
  await chooseFolder(root);
  await page.getByLabel('Search').fill(`mv-${uniq}`);
  const row = targets.getByRole('row').filter({ hasText: `mv-${uniq}` });
  await expect(row).not.toContainText(ops);
  await row.getByRole('button', { name: `Actions for mv-${uniq}` }).click();
  await page.getByRole('menuitem', { name: 'Move' }).click();
  const move = page.getByRole('dialog', { name: `Move target mv-${uniq}` });
  // By value: the other test here renames the root, which every choice's label starts with.
  await move.getByLabel('New folder').selectOption(opsFolder.id);
  await move.getByRole('button', { name: 'Move' }).click();
  await expect(move).toBeHidden();
  await expect(row).toContainText(ops);
  await expect(opsItem).toHaveAccessibleDescription('1 folder, 1 target, 1 account');

  // The folder chosen follows to the Accounts tab, and a reload keeps it.
  await chooseFolder(opsItem);
  await page.getByRole('tab', { name: 'Accounts' }).click();
  await expect(page).toHaveURL(new RegExp(`/accounts\\?folder=${opsFolder.id}$`));
  await expect(folderItem(page, ops)).toHaveAttribute('aria-selected', 'true');
  const accounts = page.getByRole('table', { name: 'Accounts' });
  await expect(accounts.getByRole('cell', { name: account.username, exact: true })).toBeVisible();
  await page.reload();
  await expect(folderItem(page, ops)).toHaveAttribute('aria-selected', 'true');
  await expect(accounts.getByRole('row')).toHaveCount(2);
});

test('an administrator renames, moves and deletes folders, deleting asks what becomes of the content, and renames the vault', async ({ page, api, uniq }) => {
  const vault = await api.get<Folder>('/vault');
  const ops = await api.post<Folder>('/folders', { name: `ops-${uniq}` });
  await api.post<Folder>('/folders', { name: 'db', parentId: ops.id });
  const target = await api.post<Target>('/targets', { name: `in-${uniq}`, address: '127.0.10.246', port: 2222, folderId: ops.id });
  await api.post<Account>('/accounts', { targetId: target.id, username: `in${uniq}` });
  const renamedVault = `Acme ${uniq}`;

  try {
    // A link to a folder opens the way to it; its own chevron opens it.
    await page.goto(`/accounts?folder=${ops.id}`);
    const opsItem = folderItem(page, ops.name);
    await expect(opsItem).toHaveAttribute('aria-selected', 'true');
    await expect(opsItem).toHaveAttribute('aria-expanded', 'false');
    await opsItem.locator(':scope > .tree__row > .tree__toggle').click();
    await expect(opsItem).toHaveAttribute('aria-expanded', 'true');

    await page.getByRole('button', { name: `Folder actions for ${ops.name}` }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: `Rename folder ${ops.name}` });
    await rename.getByLabel('Name').fill(`${ops.name}-x`);
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(rename).toBeHidden();
    const renamed = folderItem(page, `${ops.name}-x`);
    await expect(renamed).toHaveAttribute('aria-selected', 'true');

    // The subfolder moves up to the root.
    await chooseFolder(renamed.getByRole('treeitem', { name: 'db', exact: true }));
    await page.getByRole('button', { name: 'Folder actions for db' }).click();
    await page.getByRole('menuitem', { name: 'Move' }).click();
    const moveFolder = page.getByRole('dialog', { name: 'Move folder db' });
    await moveFolder.getByLabel('New parent folder').selectOption({ label: vault.name });
    await moveFolder.getByRole('button', { name: 'Move' }).click();
    await expect(moveFolder).toBeHidden();
    await expect(renamed).not.toHaveAttribute('aria-expanded');
    await expect(folderItem(page, 'db')).toHaveAttribute('aria-level', '2');

    // Deleting the folder asks what becomes of what it holds, with the counts: here it moves up to the root.
    await chooseFolder(renamed);
    await page.getByRole('button', { name: `Folder actions for ${ops.name}-x` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    const remove = page.getByRole('alertdialog', { name: `Delete folder ${ops.name}-x?` });
    await expect(remove).toContainText('It holds no folders, 1 target and 1 account');
    await expect(remove.getByRole('radio', { name: /^Delete everything in it/ })).toHaveAccessibleName(/no folders, 1 target, 1 account/);
    await remove.getByRole('radio', { name: new RegExp(`^Move its content up to ${vault.name}`) }).check();
    await remove.getByRole('button', { name: 'Delete folder' }).click();
    await expect(remove).toBeHidden();
    await expect(folderItem(page, `${ops.name}-x`)).toHaveCount(0);
    const root = treeOf(page).getByRole('treeitem').first();
    await expect(root).toHaveAttribute('aria-selected', 'true');
    expect((await api.get<Target>(`/targets/${target.id}`)).folderId).toBe(vault.id);

    // The root is renamed through its own menu.
    await page.getByRole('button', { name: `Folder actions for ${vault.name}` }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    const renameVault = page.getByRole('dialog', { name: `Rename the vault ${vault.name}` });
    await renameVault.getByLabel('Name').fill(renamedVault);
    await renameVault.getByRole('button', { name: 'Rename' }).click();
    await expect(renameVault).toBeHidden();
    await expect(root.locator(':scope > .tree__row')).toContainText(renamedVault);
  } finally {
    await api.call('PATCH', '/vault', { name: vault.name });
  }
});

test('an operator sees only the way to the folder shared with their group, and only the actions it grants', async ({ browser, api, uniq }) => {
  const team = await api.post<Folder>('/folders', { name: `team-${uniq}` });
  const other = await api.post<Folder>('/folders', { name: `other-${uniq}` });
  const shared = await api.post<Target>('/targets', { name: `app-${uniq}`, address: '127.0.10.250', port: 2222, folderId: team.id });
  const account = await api.post<Account>('/accounts', { targetId: shared.id, username: `app${uniq}` });
  const elsewhere = await api.post<Target>('/targets', { name: `db-${uniq}`, address: '127.0.10.249', port: 2222, folderId: other.id });
  const hidden = await api.post<Account>('/accounts', { targetId: elsewhere.id, username: `dba${uniq}` });
  const { user, password } = await createOperator(api, `op${uniq}`);
  const crew = await api.post<Group>('/groups', { name: `crew-${uniq}` });
  await api.put(`/groups/${crew.id}/members/${user.id}`);
  const toCrew = { type: 'group', id: crew.id };
  await api.put(`/folders/${team.id}/permissions`, {
    grants: [
      { principal: toCrew, action: 'view', effect: 'ALLOW' },
      { principal: toCrew, action: 'check', effect: 'ALLOW' },
    ],
  });

  const { context, page: op } = await signInAs(browser, user.username, password);
  try {
    // The tree: the root (on the way) and the shared folder, nothing else.
    const tree = treeOf(op);
    await expect(tree.getByRole('treeitem')).toHaveCount(2);
    await expect(folderItem(op, team.name)).toHaveAttribute('aria-level', '2');
    await expect(op.getByRole('button', { name: 'New folder' })).toHaveCount(0);

    // The lists: only the shared folder's account, with Check and without Reset.
    const table = op.getByRole('table', { name: 'Accounts' });
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table.getByRole('cell', { name: account.username, exact: true })).toBeVisible();
    await expect(op.getByRole('button', { name: 'Add account' })).toHaveCount(0);
    await op.getByRole('button', { name: `Actions for ${account.username} on ${shared.name}` }).click();
    await expect(op.getByRole('menuitem', { name: 'Check', exact: true })).toBeVisible();
    await expect(op.getByRole('menuitem', { name: 'Reset Credentials' })).toHaveCount(0);
    await expect(op.getByRole('menuitem', { name: 'CheckOut' })).toHaveCount(0);
    await op.keyboard.press('Escape');

    await op.getByRole('button', { name: `Account details of ${account.username} on ${shared.name}` }).click();
    const window = op.getByRole('dialog', { name: `Account details: ${account.username}` });
    const buttons = window.getByRole('group', { name: 'Actions' });
    await expect(buttons.getByRole('button', { name: 'Check', exact: true })).toBeVisible();
    await expect(buttons.getByRole('button')).toHaveCount(2); // Check and History
    await expect(window.getByRole('button', { name: 'Reset Credentials' })).toHaveCount(0);
    await window.getByRole('button', { name: 'Close', exact: true }).last().click();

    await op.getByRole('tab', { name: 'Targets' }).click();
    const targets = op.getByRole('table', { name: 'Targets' });
    await expect(targets.getByRole('row')).toHaveCount(2);
    await expect(op.getByRole('button', { name: 'Add target' })).toHaveCount(0);
    await op.getByRole('button', { name: `Actions for ${shared.name}` }).click();
    await expect(op.getByRole('menuitem', { name: 'Accounts' })).toBeVisible();
    await expect(op.getByRole('menuitem', { name: 'Edit' })).toHaveCount(0);
    await op.keyboard.press('Escape');

    // An account outside their folder: its address answers as if it did not exist.
    await op.goto(`/accounts?account=${hidden.id}`);
    await expect(op.getByRole('dialog', { name: 'Account not available' })).toContainText('It was not found.');
    await op.goto(`/accounts?account=${account.id}`);
    await expect(op.getByRole('dialog', { name: `Account details: ${account.username}` })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('a folder’s Permissions tab grants a group rights that reach its members below it', async ({ page, api, uniq }) => {
  const team = await api.post<Folder>('/folders', { name: `grant-${uniq}` });
  const { user } = await createOperator(api, `gr${uniq}`);
  const crew = `crew-${uniq}`;
  const group = await api.post<Group>('/groups', { name: crew });
  await api.put(`/groups/${group.id}/members/${user.id}`);

  await page.goto(`/accounts?folder=${team.id}`);
  await page.getByRole('button', { name: `Folder actions for ${team.name}` }).click();
  await page.getByRole('menuitem', { name: 'Details and permissions' }).click();
  const details = page.getByRole('dialog', { name: `Folder ${team.name}` });
  await expect(details).toContainText('View, CheckOut, Check, Reset, Update credentials, Manage, Manage permissions');
  await details.getByRole('tab', { name: 'Permissions' }).click();
  await expect(details.getByText('Nothing is granted on it directly.')).toBeVisible();
  const direct = details.getByRole('table', { name: `Grants on ${team.name}` });
  for (const right of ['View', 'Check']) {
    await pick(details, 'Grant to', crew, `group ${crew}`);
    await details.getByLabel('Right', { exact: true }).selectOption({ label: right });
    await details.getByRole('button', { name: 'Add grant' }).click();
    await expect(direct.getByRole('row').filter({ hasText: right })).toContainText(`group ${crew}`);
  }
  const effective = details.getByRole('table', { name: `Effective rights on ${team.name}` });
  const member = effective.getByRole('row').filter({ hasText: `user ${user.username}` });
  await expect(member).toHaveCount(2);
  await expect(member.filter({ hasText: 'Check' })).toContainText(`AllowedAllow on this folder through group ${crew}`);

  // What was granted holds for whatever is made below the folder later.
  const target = await api.post<Target>('/targets', { name: `below-${uniq}`, address: '127.0.10.245', port: 2222, folderId: team.id });
  const below = await api.get<{ principals: { principal: { id: string }; rights: { action: string; allowed: boolean }[] }[] }>(
    `/targets/${target.id}/permissions/effective`,
  );
  const rights = below.principals
    .find((p) => p.principal.id === user.id)
    ?.rights.filter((r) => r.allowed)
    .map((r) => r.action);
  expect(rights?.sort()).toEqual(['check', 'view']);
});

test('the Permissions tab shows the grants made here, the inherited ones, and a DENY winning over an inherited ALLOW', async ({ page, api, uniq }) => {
  const folder = await api.post<Folder>('/folders', { name: `perm-${uniq}` });
  const target = await api.post<Target>('/targets', { name: `perm-${uniq}`, address: '127.0.10.248', port: 2222, folderId: folder.id });
  const account = await api.post<Account>('/accounts', { targetId: target.id, username: `perm${uniq}` });
  const { user } = await createOperator(api, `pu${uniq}`);
  const group = await api.post<Group>('/groups', { name: `readers-${uniq}` });
  await api.put(`/groups/${group.id}/members/${user.id}`);
  const toGroup = { type: 'group', id: group.id };
  await api.put(`/folders/${folder.id}/permissions`, {
    grants: [
      { principal: toGroup, action: 'view', effect: 'ALLOW' },
      { principal: toGroup, action: 'checkout', effect: 'ALLOW' },
    ],
  });
  await api.put(`/accounts/${account.id}/permissions`, { grants: [{ principal: { type: 'user', id: user.id }, action: 'checkout', effect: 'DENY' }] });

  // A link to the account opens its details window.
  await page.goto(`/accounts?account=${account.id}`);
  const details = page.getByRole('dialog', { name: `Account details: ${account.username}` });
  await details.getByRole('tab', { name: 'Permissions' }).click();
  await expect(details.getByRole('tab', { name: 'Permissions' })).toHaveAttribute('aria-selected', 'true');

  const direct = details.getByRole('table', { name: `Grants on ${account.username}` });
  await expect(direct.getByRole('row')).toHaveCount(2);
  await expect(direct.getByRole('row').nth(1)).toContainText(`user ${user.username}CheckOutDeny`);

  // What the group gets from the folder (the root's grants to the migrated Operators group are inherited too).
  const inherited = details
    .getByRole('table', { name: `Grants ${account.username} inherits` })
    .getByRole('row')
    .filter({ hasText: `group readers-${uniq}` });
  await expect(inherited).toHaveCount(2);
  await expect(inherited.filter({ hasText: 'View' })).toContainText(`group readers-${uniq}ViewAllowfolder perm-${uniq}`);
  await expect(inherited.filter({ hasText: 'CheckOut' })).toContainText(`group readers-${uniq}CheckOutAllowfolder perm-${uniq}`);

  const effective = details.getByRole('table', { name: `Effective rights on ${account.username}` });
  const userRow = (right: string) =>
    effective
      .getByRole('row')
      .filter({ hasText: `user ${user.username}` })
      .filter({ hasText: right });
  await expect(userRow('View')).toContainText('Allowed');
  await expect(userRow('View')).toContainText(`Allow on folder perm-${uniq} (inherited) through group readers-${uniq}`);
  await expect(userRow('CheckOut')).toContainText('Denied');
  await expect(userRow('CheckOut')).toContainText('Deny on this account');
  await expect(userRow('CheckOut')).toContainText(`Allow on folder perm-${uniq} (inherited) through group readers-${uniq}`);

  // Lifting the DENY here: the inherited ALLOW decides again.
  await details.getByRole('button', { name: `Remove the grant: Deny CheckOut to user ${user.username}` }).click();
  await expect(details.getByText('Nothing is granted on it directly.')).toBeVisible();
  await expect(userRow('CheckOut')).toContainText('Allowed');

  // And a DENY added here through the form takes the right away again.
  await pick(details, 'Grant to', `readers-${uniq}`, `group readers-${uniq}`);
  await details.getByLabel('Right', { exact: true }).selectOption({ label: 'CheckOut' });
  await details.getByLabel('Effect', { exact: true }).selectOption({ label: 'Deny' });
  await details.getByRole('button', { name: 'Add grant' }).click();
  await expect(direct.getByRole('row').nth(1)).toContainText(`group readers-${uniq}CheckOutDeny`);
  await expect(userRow('CheckOut')).toContainText('Denied');
  await expect(userRow('CheckOut')).toContainText(`Deny on this account through group readers-${uniq}`);
  await details.getByRole('button', { name: 'Close', exact: true }).last().click();

  // The target's window has the same tab, reached from its menu: the folder's grants are inherited there too.
  await page.goto(`/targets?q=perm-${uniq}`);
  await page.getByRole('button', { name: `Actions for perm-${uniq}` }).click();
  await page.getByRole('menuitem', { name: 'Permissions' }).click();
  const window = page.getByRole('dialog', { name: `Accounts of perm-${uniq}` });
  await expect(page).toHaveURL(/[?&]ttab=permissions/);
  await expect(
    window
      .getByRole('table', { name: `Grants perm-${uniq} inherits` })
      .getByRole('row')
      .filter({ hasText: `group readers-${uniq}` }),
  ).toHaveCount(2);
  await expect(window.getByText('Nothing is granted on it directly.')).toBeVisible();
});

test('groups are created, renamed, given and relieved of members, and deleted on the Groups page', async ({ page, api, uniq }) => {
  const { user } = await createOperator(api, `gm${uniq}`);
  const name = `ops-team-${uniq}`;
  await page.goto('/users');
  await page.getByRole('tab', { name: 'Groups' }).click();
  await expect(page).toHaveURL(/\/groups$/);

  await page.getByRole('button', { name: 'New group' }).click();
  const form = page.getByRole('dialog', { name: 'New group' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Description').fill('Night shift');
  await form.getByRole('button', { name: 'Create group' }).click();
  const members = page.getByRole('dialog', { name: `Members of ${name}` });
  await expect(members).toContainText('Nobody is in this group yet.');
  await pick(members, 'Add a user', user.username, user.username);
  await members.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(members.getByRole('table', { name: `Members of ${name}` }).getByRole('row')).toHaveCount(2);
  await members.getByRole('button', { name: `Remove ${user.username} from ${name}` }).click();
  await expect(members).toContainText('Nobody is in this group yet.');
  await members.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(members).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Groups' }).getByRole('cell', { name, exact: true })).toBeVisible();

  await page.getByLabel('Search').fill(name);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${name}`));
  const table = page.getByRole('table', { name: 'Groups' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: `Actions for group ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  const rename = page.getByRole('dialog', { name: `Rename group ${name}` });
  await rename.getByLabel('Name').fill(`${name}-b`);
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(rename).toBeHidden();
  await expect(table.getByRole('cell', { name: `${name}-b`, exact: true })).toBeVisible();

  await page.getByRole('button', { name: `Actions for group ${name}-b` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page
    .getByRole('alertdialog', { name: `Delete group ${name}-b?` })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(table).toContainText('No group matches the search');
  expect((await api.get<{ items: Group[] }>(`/groups?q=${name}`)).items).toEqual([]);
});
