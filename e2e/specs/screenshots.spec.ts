import type { Account, Target } from '@passman/contracts';
import { accountWithPassword, expect, test } from '../support/fixtures.js';
import { accountAction } from '../support/ui.js';

/**
 * Every main screen rendered with a plausible estate. The pictures go to test-results/ on
 * every run, and to docs/screenshots/ (shown in the README) when asked, since they change
 * with each run's names and times: `PASSMAN_E2E_SCREENSHOTS=1 npm run test:e2e -- screenshots`.
 */
const dir = new URL(process.env.PASSMAN_E2E_SCREENSHOTS ? '../../docs/screenshots/' : '../../test-results/screenshots/', import.meta.url).pathname;

test('screens of the console', async ({ page, api, sshTarget, approvedTarget }) => {
  test.setTimeout(120_000);
  // A small, plausible estate: a few targets, accounts in each state.
  const names = ['deploy', 'backup', 'postgres', 'monitor', 'ci-runner'];
  const accounts: Account[] = [];
  for (const name of names)
    accounts.push(await accountWithPassword(api, sshTarget, approvedTarget, `${name}${approvedTarget.name.slice(-3)}`, `Initial-${name}-1`));
  const other = await api.post<Target>('/targets', {
    name: `db-01-${approvedTarget.name.slice(-4)}`,
    address: 'db-01.example.internal',
    port: 22,
    tags: ['prod', 'db'],
  });
  await api.post('/accounts', { targetId: other.id, username: 'oracle' });
  const [deploy, backup, postgres] = accounts as [Account, Account, Account];
  await api.post(`/accounts/${deploy.id}/credentials`, { type: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true });
  await api.post(`/accounts/${deploy.id}/credentials`, { type: 'SSH_KEY', sshKeyType: 'ssh-rsa', generate: true });
  const batch = await api.post<{ id: string }>('/jobs/bulk', { kind: 'CHECK', accountIds: accounts.map((a) => a.id) });
  await expect.poll(async () => (await api.get<{ done: boolean }>(`/batches/${batch.id}`)).done, { timeout: 30_000 }).toBe(true);
  const job = await api.post<{ id: string }>(`/accounts/${backup.id}/reset`, {
    credentialType: 'PASSWORD',
    newSecret: 'Not-the-real-one-9',
    changeOnTarget: false,
    acknowledgeLossOfSync: true,
  });
  await expect.poll(async () => (await api.get<{ state: string }>(`/jobs/${job.id}`)).state, { timeout: 30_000 }).toBe('succeeded');

  await page.goto(`/accounts?q=${approvedTarget.name.slice(-3)}`);
  await expect(page.getByRole('row').filter({ hasText: 'InSync' }).first()).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: backup.username })).toContainText('NotInSync');
  await page.getByRole('checkbox', { name: `Select ${postgres.username} on ${approvedTarget.name}` }).check();
  await page.screenshot({ path: `${dir}accounts.png`, animations: 'disabled' });

  const reset = await accountAction(page, deploy.username, approvedTarget.name, 'Reset Credentials');
  await reset.getByLabel('Credential type').selectOption('SSH_KEY');
  await page.screenshot({ path: `${dir}reset-credentials.png`, animations: 'disabled' });
  await reset.getByRole('button', { name: 'Cancel' }).click();

  const monitor = accounts[3]!;
  const vaultOnly = await accountAction(page, monitor.username, approvedTarget.name, 'Reset Credentials');
  await vaultOnly.getByLabel('New password').fill('typed-by-hand');
  await vaultOnly.getByLabel('Change on target').uncheck();
  await expect(vaultOnly.getByText(/loses its InSync status/)).toBeVisible();
  await page.screenshot({ path: `${dir}reset-insync-warning.png`, animations: 'disabled' });
  await vaultOnly.getByRole('button', { name: 'Cancel' }).click();

  const again = await accountAction(page, postgres.username, approvedTarget.name, 'Reset Credentials');
  await again.getByRole('button', { name: 'Generate and Save' }).click();
  await expect(again.getByText(/is InSync/).first()).toBeVisible();
  await page.screenshot({ path: `${dir}reset-result.png`, animations: 'disabled' });
  await again.getByRole('button', { name: 'Close', exact: true }).last().click();

  const checkout = await accountAction(page, deploy.username, approvedTarget.name, 'CheckOut');
  await checkout.getByLabel('Credential').selectOption({ label: 'SSH key (ssh-ed25519)' });
  await checkout.getByLabel('Reason').fill('Incident 4711');
  await checkout.getByRole('button', { name: 'Check out', exact: true }).click();
  await expect(checkout.getByTestId('checked-out-public-key')).toBeVisible();
  await page.screenshot({ path: `${dir}checkout.png`, animations: 'disabled' });
  await checkout.getByRole('button', { name: 'CheckIn' }).click();
  await checkout.getByRole('button', { name: 'Close', exact: true }).last().click();

  await page.getByRole('button', { name: `Account details of ${deploy.username} on ${approvedTarget.name}` }).click();
  await expect(page.getByRole('dialog').getByRole('table', { name: 'Credentials' })).toBeVisible();
  await page.screenshot({ path: `${dir}account-details.png`, animations: 'disabled' });
  await page.keyboard.press('Escape');

  await page.goto('/targets');
  await expect(page.getByRole('row').filter({ hasText: approvedTarget.name })).toBeVisible();
  await page.screenshot({ path: `${dir}targets.png`, animations: 'disabled' });
  await page.getByRole('button', { name: `Actions for ${approvedTarget.name}` }).click();
  await page.getByRole('menuitem', { name: 'Accounts', exact: true }).click();
  await expect(page.getByRole('dialog').getByRole('row').filter({ hasText: 'deploy' })).toBeVisible();
  await page.screenshot({ path: `${dir}target-accounts.png`, animations: 'disabled' });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: `Actions for ${other.name}` }).click();
  await page.getByRole('menuitem', { name: 'Host key' }).click();
  await page.screenshot({ path: `${dir}host-key.png`, animations: 'disabled' });
  await page.keyboard.press('Escape');

  await page.goto('/policies');
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await page.screenshot({ path: `${dir}policies.png`, animations: 'disabled' });
  await page.goto('/jobs');
  await expect(page.getByRole('region', { name: /batch of/ }).first()).toBeVisible();
  await page.screenshot({ path: `${dir}jobs.png`, animations: 'disabled' });
  await page.goto('/audit');
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText(/The chain is intact/)).toBeVisible();
  await page.screenshot({ path: `${dir}audit.png`, animations: 'disabled' });
  await page.context().clearCookies();
  await page.goto('/login');
  await page.screenshot({ path: `${dir}login.png`, animations: 'disabled' });
});
