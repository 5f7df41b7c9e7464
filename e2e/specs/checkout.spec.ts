import type { Account, Policy, Target } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';
import { accountAction } from '../support/ui.js';

test('an exclusive checkout already held says by whom and until when; its holder checks it in from the dialog and checks out again', async ({
  page,
  api,
  uniq,
}) => {
  // No host is contacted: checkout and check-in only touch the vault.
  const target = await api.post<Target>('/targets', { name: `excl-${uniq}`, address: '127.0.10.251', port: 2222 });
  const policy = await api.post<Policy>('/policies', { name: `excl-${uniq}`, checkoutExclusive: true });
  const username = `exc${uniq}`;
  const account = await api.post<Account>('/accounts', { targetId: target.id, username, policyId: policy.id });
  await api.post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: 'Exclusive-pass-1' });
  // The admin (the user of this browser too) holds it, checked out through the API.
  await api.post(`/accounts/${account.id}/checkout`, {});

  await page.goto(`/accounts?q=${encodeURIComponent(username)}`); // its row shows it "Checked out"
  const dialog = await accountAction(page, username, target.name, 'CheckOut');
  await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
  await expect(dialog.getByRole('alert')).toContainText(`You already have ${username} checked out exclusively`);
  await expect(dialog.getByRole('alert')).toContainText('until it is checked in');
  await expect(dialog.getByTestId('checked-out-secret')).toHaveCount(0);

  await dialog.getByRole('button', { name: 'CheckIn' }).click();
  await expect(dialog.getByRole('status')).toContainText(`${username} is checked in.`);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
  await expect(dialog.getByTestId('checked-out-secret')).toBeVisible();
  await dialog.getByRole('button', { name: 'CheckIn' }).click();
  await expect(dialog.getByText(/is checked in/)).toBeVisible();
});
