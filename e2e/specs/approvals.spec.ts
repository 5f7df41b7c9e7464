import type { Account, Folder, Target } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';
import { accountAction, checkOutSecret, openAccount } from '../support/ui.js';
import { createOperator, signInAs } from '../support/users.js';

// Dual control in two browsers: operator A's checkout answers that it needs an approval, A asks
// for one, operator B sees it counted in the navigation and approves it, A checks out once, and
// a second checkout with the same approval is refused.

test('operator A requests a checkout approval, operator B approves, A checks out once; a second checkout is refused', async ({ page, browser, api, uniq }) => {
  // No host is contacted: checkout only touches the vault.
  const folder = await api.post<Folder>('/folders', { name: `dual-${uniq}` });
  const target = await api.post<Target>('/targets', { name: `dual-${uniq}`, address: '127.0.10.251', port: 2222, folderId: folder.id });
  const username = `dual${uniq}`;
  const account = await api.post<Account>('/accounts', { targetId: target.id, username });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: 'Dual-control-pass-1' });
  const a = await createOperator(api, `opa${uniq}`);
  const b = await createOperator(api, `opb${uniq}`);
  const allow = (userId: string, action: string) => ({ principal: { type: 'user', id: userId }, action, effect: 'ALLOW' });
  await api.put(`/folders/${folder.id}/permissions`, {
    grants: [allow(a.user.id, 'view'), allow(a.user.id, 'checkout'), allow(b.user.id, 'view'), allow(b.user.id, 'approve')],
  });

  // The administrator sets the rule in the folder's window: a checkout below it needs an approval.
  await page.goto(`/accounts?folder=${folder.id}`);
  await page.getByRole('button', { name: `Folder actions for ${folder.name}` }).click();
  await page.getByRole('menuitem', { name: 'Details and permissions' }).click();
  const details = page.getByRole('dialog', { name: `Folder ${folder.name}` });
  await details.getByRole('tab', { name: 'Approvals' }).click();
  await expect(details).toContainText('No action needs an approval here.');
  const rules = details.getByRole('form', { name: `Approval rules of ${folder.name}` });
  await rules.getByLabel('CheckOut needs an approval').check();
  await rules.getByLabel('Longest CheckOut window (minutes)').fill('60');
  await rules.getByRole('button', { name: 'Save rules' }).click();
  await expect(details).toContainText('CheckOut needs an approval (at most 60 minutes), set here');

  const requester = await signInAs(browser, a.user.username, a.password);
  const approver = await signInAs(browser, b.user.username, b.password);
  try {
    // A: the checkout needs an approval; the dialog asks for one.
    const pageA = requester.page;
    await openAccount(pageA, username);
    let dialog = await accountAction(pageA, username, target.name, 'CheckOut');
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    const form = dialog.getByRole('form', { name: 'Request approval' });
    await expect(form).toContainText(`A checkout of ${username} needs another person’s approval first`);
    await expect(dialog.getByTestId('checked-out-secret')).toHaveCount(0);
    await form.getByLabel('Reason').fill('Restore after the disk failure');
    await form.getByLabel('Duration (minutes)').fill('30');
    await form.getByRole('button', { name: 'Request approval' }).click();
    await expect(dialog.getByRole('status')).toContainText('Approval requested');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(dialog).toBeHidden();

    // B: the navigation counts the request; B approves it with a comment.
    const pageB = approver.page;
    await pageB.reload();
    const approvalsTab = pageB.getByRole('tab', { name: /^Approvals/ });
    await expect(approvalsTab).toHaveAccessibleName('Approvals 1 request waits for your decision');
    await approvalsTab.click();
    const toApprove = pageB.getByRole('region', { name: 'To approve' });
    const request = toApprove.getByRole('listitem').filter({ hasText: username });
    await expect(request).toContainText('Restore after the disk failure');
    await expect(request).toContainText('30 minutes');
    await request.getByLabel('Comment').fill('Go ahead');
    await request.getByRole('button', { name: 'Approve' }).click();
    await expect(toApprove).toContainText('Nothing waits for your decision.');
    await expect(approvalsTab).toHaveAccessibleName('Approvals');

    // A: one checkout with the approval.
    await openAccount(pageA, username);
    const { secret } = await checkOutSecret(pageA, username, target.name);
    expect(secret).toBe('Dual-control-pass-1');

    // A second checkout with the same approval is refused: the dialog asks for a new one.
    dialog = await accountAction(pageA, username, target.name, 'CheckOut');
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    await expect(dialog.getByRole('form', { name: 'Request approval' })).toBeVisible();
    await expect(dialog.getByTestId('checked-out-secret')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();

    // A's own requests show it used, decided by B with the comment.
    await pageA.getByRole('tab', { name: /^Approvals/ }).click();
    const mine = pageA.getByRole('region', { name: 'My requests' }).getByRole('listitem').filter({ hasText: username });
    await expect(mine).toContainText('Used');
    await expect(mine).toContainText('Go ahead');
  } finally {
    await requester.context.close();
    await approver.context.close();
  }
});
