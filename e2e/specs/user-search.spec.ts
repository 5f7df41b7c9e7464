import type { Folder, Group, GroupDetail, PermissionList, User } from '@passman/contracts';
import type { PassmanApi } from '../support/passman-api.js';
import { expect, test } from '../support/fixtures.js';
import { pick } from '../support/ui.js';

// With thousands of users, a picker that offered the first page of them could never reach the
// rest: pickers search as one types, and the Users page's search lives in the address.

/** `count` users named `<prefix>-01`, `<prefix>-02`, … (display names `displayName(i)` when given). */
async function createUsers(api: PassmanApi, prefix: string, count: number, displayName?: (n: string) => string): Promise<User[]> {
  const users: User[] = [];
  for (let i = 1; i <= count; i += 1) {
    const n = String(i).padStart(2, '0');
    users.push(
      await api.post<User>('/users', {
        username: `${prefix}-${n}`,
        role: 'operator',
        password: `pw-${prefix}-long-enough`,
        ...(displayName ? { displayName: displayName(n) } : {}),
      }),
    );
  }
  return users;
}

test('an administrator adds user 60 of 60 to a group by typing in the picker, and grants a folder to them the same way', async ({ page, api, uniq }) => {
  const prefix = `pk${uniq}`;
  const users = await createUsers(api, prefix, 60);
  const last = users.at(-1)!;
  const group = await api.post<Group>('/groups', { name: `pickers-${uniq}` });

  await page.goto(`/groups?group=${group.id}`);
  const members = page.getByRole('dialog', { name: `Members of ${group.name}` });
  const box = members.getByRole('combobox', { name: 'Add a user' });
  await box.fill(prefix);
  // The first 20 of the 60 matches are offered, and the list says there are more.
  const choices = members.getByRole('listbox', { name: 'Add a user' }).getByRole('option');
  await expect(choices).toHaveCount(20);
  await expect(choices.first()).toHaveText(`${prefix}-01`);
  await expect(members.getByRole('option', { name: last.username })).toHaveCount(0);
  const status = members.getByRole('status');
  await expect(status).toHaveText('The first 20 matches are shown: type more to find others.');

  // More of the name narrows it down to the one; the keyboard picks it.
  await box.fill(`${prefix}-6`);
  await expect(choices).toHaveCount(1);
  await expect(choices).toHaveText(last.username);
  await box.press('ArrowDown');
  await expect(choices.first()).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(box).toHaveValue(last.username);
  await members.getByRole('button', { name: 'Add', exact: true }).click();
  const memberRows = members.getByRole('table', { name: `Members of ${group.name}` }).getByRole('row');
  await expect(memberRows).toHaveCount(2);
  await expect(memberRows.nth(1)).toContainText(last.username);
  expect((await api.get<GroupDetail>(`/groups/${group.id}`)).members.map((m) => m.id)).toEqual([last.id]);

  // A member is not offered again.
  await box.fill(last.username);
  await expect(status).toHaveText('Every user that matches is a member already.');
  await expect(choices).toHaveCount(0);
  await members.getByRole('button', { name: 'Close', exact: true }).last().click();

  // The Permissions tab's "Grant to" finds users (and groups) the same way.
  const folder = await api.post<Folder>('/folders', { name: `picked-${uniq}` });
  await page.goto(`/accounts?folder=${folder.id}`);
  await page.getByRole('button', { name: `Folder actions for ${folder.name}` }).click();
  await page.getByRole('menuitem', { name: 'Details and permissions' }).click();
  const details = page.getByRole('dialog', { name: `Folder ${folder.name}` });
  await details.getByRole('tab', { name: 'Permissions' }).click();
  await pick(details, 'Grant to', `${prefix}-60`, `user ${last.username}`);
  await details.getByRole('button', { name: 'Add grant' }).click();
  await expect(
    details
      .getByRole('table', { name: `Grants on ${folder.name}` })
      .getByRole('row')
      .nth(1),
  ).toContainText(`user ${last.username}ViewAllow`);
  const grants = await api.get<PermissionList>(`/folders/${folder.id}/permissions`);
  expect(grants.grants.map((g) => [g.principal.type, g.principal.id, g.action])).toEqual([['user', last.id, 'view']]);
});

test('the Users page searches usernames and display names; the search and the page survive a reload, and Back keeps the search', async ({
  page,
  api,
  uniq,
}) => {
  const prefix = `us${uniq}`;
  const marker = `Night ${uniq.toUpperCase()}`;
  const users = await createUsers(api, prefix, 27, (n) => `${marker} ${n}`);

  await page.goto('/users');
  const table = page.getByRole('table', { name: 'Users' });
  const search = page.getByLabel('Search');
  // A display name, typed in another case.
  await search.fill(marker.toLowerCase());
  await expect(page).toHaveURL(/[?&]q=night/);
  await page.getByLabel('Rows per page').selectOption('25');
  await expect(table.getByRole('row')).toHaveCount(26);
  await expect(table.getByRole('row').nth(1)).toContainText(users[0]!.username);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Rows 26–27 · page 2')).toBeVisible();

  await page.reload();
  await expect(search).toHaveValue(marker.toLowerCase());
  await expect(page.getByText('Rows 26–27 · page 2')).toBeVisible();
  await expect(table.getByRole('cell', { name: users[26]!.username, exact: true })).toBeVisible();

  // Back returns to the first page of the same search.
  await page.goBack();
  await expect(page.getByText('Rows 1–25 · page 1')).toBeVisible();
  await expect(search).toHaveValue(marker.toLowerCase());

  // Another tab and Back: still searched.
  await page.getByRole('tab', { name: 'Groups' }).click();
  await expect(page).toHaveURL(/\/groups/);
  await page.goBack();
  await expect(search).toHaveValue(marker.toLowerCase());
  await expect(table.getByRole('row').nth(1)).toContainText(users[0]!.username);

  // A username works too; a text nobody has says so.
  await search.fill(`${prefix}-13`);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').nth(1)).toContainText(users[12]!.username);
  await search.fill(`${prefix}-nobody`);
  await expect(page.getByText('No user matches the search')).toBeVisible();
});
