import type { Account, Folder, Job, Target } from '@passman/contracts';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.js';
import { createOperator, signInAs } from '../support/users.js';

/** The data rows a list shows (not its header, loading skeleton or empty-state row). */
function dataRows(page: Page, table: string): Locator {
  return page
    .getByRole('table', { name: table, exact: true })
    .locator('tbody > tr:not(.data-table__skeleton)')
    .filter({ hasNot: page.locator('.empty-state') });
}

const settled = (state: string) => !['queued', 'running'].includes(state);

test('the dashboard counts what a narrow operator may see, and each count leads to a list of exactly that many rows', async ({
  browser,
  api,
  sshTarget,
  uniq,
}) => {
  // A folder of the operator's own: a target whose host key is approved and one whose key waits for approval.
  const folder = await api.post<Folder>('/folders', { name: `dash-${uniq}` });
  const approvedTarget = await api.post<Target>('/targets', { name: `ok-${uniq}`, address: sshTarget.host, port: sshTarget.port, folderId: folder.id });
  const scanned = await api.post<{ fingerprint: string }>(`/targets/${approvedTarget.id}/host-key/scan`);
  await api.post(`/targets/${approvedTarget.id}/host-key/approve`, { fingerprint: scanned.fingerprint });
  const unapproved = await api.post<Target>('/targets', { name: `new-${uniq}`, address: sshTarget.host, port: sshTarget.port, folderId: folder.id });
  await api.post(`/targets/${unapproved.id}/host-key/scan`);

  const good = `dg${uniq}`;
  const bad = `db${uniq}`;
  const goodPassword = `Works-On-Host-${uniq}-1!`;
  await sshTarget.addUsers([
    { name: good, password: goodPassword },
    { name: bad, password: `Real-Password-${uniq}-2!` },
  ]);
  const inSync = await api.post<Account>('/accounts', { targetId: approvedTarget.id, username: good });
  await api.post(`/accounts/${inSync.id}/credentials`, { type: 'PASSWORD', value: goodPassword });
  // Short and stale: it fails on the host and is Noncompliant with the default policy.
  const stale = await api.post<Account>('/accounts', { targetId: approvedTarget.id, username: bad });
  await api.post(`/accounts/${stale.id}/credentials`, { type: 'PASSWORD', value: 'short-1' });
  const unpinned = await api.post<Account>('/accounts', { targetId: unapproved.id, username: good });
  await api.post(`/accounts/${unpinned.id}/credentials`, { type: 'PASSWORD', value: goodPassword });
  await api.post<Account>('/accounts', { targetId: approvedTarget.id, username: `dn${uniq}` });

  const checks = await Promise.all([inSync, stale, unpinned].map((a) => api.post<Job>(`/accounts/${a.id}/check`)));
  for (const job of checks) await expect.poll(async () => settled((await api.get<Job>(`/jobs/${job.id}`)).state), { timeout: 30_000 }).toBe(true);
  await api.post(`/accounts/${inSync.id}/checkout`, { reason: 'dashboard spec' });

  const { user, password } = await createOperator(api, `dash${uniq}`);
  await api.put(`/folders/${folder.id}/permissions`, { grants: [{ principal: { type: 'user', id: user.id }, action: 'view', effect: 'ALLOW' }] });
  const { context, page } = await signInAs(browser, user.username, password);
  try {
    await page.goto('/');
    await expect(page.getByRole('tab', { name: 'Dashboard' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('heading', { name: '4 accounts you can see' })).toBeVisible();

    const tiles: { id: string; table: string; path: RegExp; expected?: number }[] = [
      { id: 'inSync', table: 'Accounts', path: /\/accounts\?status=InSync$/, expected: 1 },
      { id: 'notInSync', table: 'Accounts', path: /\/accounts\?status=NotInSync$/ },
      { id: 'unknown', table: 'Accounts', path: /\/accounts\?status=Unknown$/ },
      { id: 'noncompliant', table: 'Accounts', path: /\/accounts\?compliance=Noncompliant$/, expected: 1 },
      { id: 'checkedOut', table: 'Accounts', path: /\/accounts\?only=checkedOut$/, expected: 1 },
      { id: 'rotationOverdue', table: 'Accounts', path: /\/accounts\?only=rotationOverdue$/, expected: 0 },
      { id: 'hostKeysPending', table: 'Targets', path: /\/targets\?hostKey=pending$/, expected: 1 },
      { id: 'failedJobs', table: 'Jobs', path: /\/jobs\?state=failed&since=/, expected: 1 },
      { id: 'unverifiedJobs', table: 'Jobs', path: /\/jobs\?state=unverified$/, expected: 0 },
    ];
    let statuses = 0;
    for (const tile of tiles) {
      const link = page.getByTestId(`dashboard-${tile.id}`);
      const count = Number(await link.locator('.dashboard-tile__count').textContent());
      if (tile.expected !== undefined) expect([tile.id, count]).toEqual([tile.id, tile.expected]);
      if (['inSync', 'notInSync', 'unknown'].includes(tile.id)) statuses += count;
      await link.click();
      await expect(page).toHaveURL(tile.path);
      await expect(dataRows(page, tile.table)).toHaveCount(count);
      if (count === 0) await expect(page.getByRole('table', { name: tile.table, exact: true }).locator('.empty-state')).toBeVisible();
      await page.goBack();
      await expect(page.getByTestId(`dashboard-${tile.id}`)).toBeVisible();
    }
    // Every account has one status: the three status counts add up to the accounts the operator sees.
    expect(statuses).toBe(4);
    await expect(dataRows(page, 'Activity in the last 24 hours')).not.toHaveCount(0);
    await expect(page.getByRole('table', { name: 'Activity in the last 24 hours' })).toContainText(`${good} on ${approvedTarget.name}`);
  } finally {
    await context.close();
  }
});

test('Quick Password Saving: an account added on a known target, its password saved and checked — the result shows InSync', async ({
  page,
  api,
  sshTarget,
  approvedTarget,
  uniq,
}) => {
  const username = `qs${uniq}`;
  const password = `Quick-Saved-${uniq}-1!`;
  await sshTarget.addUsers([{ name: username, password }]);

  await page.goto('/');
  const form = page.getByRole('region', { name: 'Quick Password Saving' });
  await form.getByLabel('Target').fill(approvedTarget.name);
  await form.getByLabel('Account').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Save and check' }).click();
  await expect(form.getByText(`Account ${username} added on ${approvedTarget.name}; password saved.`)).toBeVisible();
  await expect(form.getByText(`Every credential logs in: ${username} on ${approvedTarget.name} is InSync.`)).toBeVisible({ timeout: 30_000 });
  // The password field is emptied; the value is nowhere on the page.
  await expect(form.getByLabel('Password')).toHaveValue('');
  await expect(page.locator('body')).not.toContainText(password);

  const accounts = await api.get<{ items: Account[] }>(`/targets/${approvedTarget.id}/accounts`);
  expect(accounts.items.map((a) => [a.username, a.status])).toEqual([[username, 'InSync']]);
});
