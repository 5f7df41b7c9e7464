import type { Target } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';

test('filters the audit trail and verifies the hash chain', async ({ page, api, uniq }) => {
  const target = await api.post<Target>('/targets', { name: `audited-${uniq}`, address: '127.0.10.252', port: 2222 });
  await page.goto('/audit');
  await page.getByLabel('Action').fill('target.create');
  const table = page.getByRole('table', { name: 'Audit trail' });
  await expect(table.getByRole('row').filter({ hasText: target.name })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'auth.login' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status').filter({ hasText: /The chain is intact: \d+ events checked against its signed head\./ })).toBeVisible();
});
