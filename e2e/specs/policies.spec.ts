import { expect, test } from '../support/fixtures.js';

test('creates, edits and deletes a policy', async ({ page, uniq }) => {
  const name = `Strict ${uniq}`;
  await page.goto('/policies');
  await expect(page.getByRole('table', { name: 'Policies' }).getByText('Default', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Add policy' }).click();
  const form = page.getByRole('dialog', { name: 'Add policy' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Length', { exact: true }).fill('4');
  await form.getByRole('button', { name: 'Create policy' }).click();
  // The API's field rule comes back next to the field.
  await expect(form.getByLabel('Length', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Length', { exact: true }).fill('32');
  await form.getByRole('button', { name: 'Create policy' }).click();
  await expect(form).toBeHidden();
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('32 characters');

  await row.getByRole('button', { name: `Actions for policy ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: `Edit policy ${name}` });
  await edit.getByLabel('PIN length').fill('8');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText('8 digits');

  await row.getByRole('button', { name: `Actions for policy ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page
    .getByRole('alertdialog', { name: `Delete policy ${name}?` })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(row).toHaveCount(0);
});
