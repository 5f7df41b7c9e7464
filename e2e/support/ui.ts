import { expect, type Locator, type Page } from '@playwright/test';

/** The Accounts tab searched for one account (the search box is the URL's `q`). */
export async function openAccount(page: Page, username: string): Promise<Locator> {
  await page.goto(`/accounts?q=${encodeURIComponent(username)}`);
  const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
  await expect(row).toHaveCount(1);
  return row;
}

/** Opens an entry of the account's Actions menu (Check, CheckOut, Reset Credentials, History). */
export async function accountAction(
  page: Page,
  username: string,
  targetName: string,
  item: 'Check' | 'CheckOut' | 'Reset Credentials' | 'History',
): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for ${username} on ${targetName}` }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
  return page.getByRole('dialog').last();
}

/** The status cell of an account's row. */
export function statusOf(row: Locator): Locator {
  return row.getByRole('cell').nth(3);
}

/** CheckOut in the UI, reveal the secret and return it (then the dialog is closed). */
export async function checkOutSecret(
  page: Page,
  username: string,
  targetName: string,
  credential?: string,
): Promise<{ secret: string; publicKey: string | null }> {
  const dialog = await accountAction(page, username, targetName, 'CheckOut');
  if (credential) await dialog.getByLabel('Credential').selectOption({ label: credential });
  await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
  const value = dialog.getByTestId('checked-out-secret');
  await expect(value).toBeVisible();
  await dialog.getByRole('button', { name: 'Show what was typed' }).click();
  await expect(dialog.getByText(/Hidden again in \d+ s/)).toBeVisible();
  const secret = (await value.textContent()) ?? '';
  const publicKeyBox = dialog.getByTestId('checked-out-public-key');
  const publicKey = (await publicKeyBox.count()) > 0 ? await publicKeyBox.textContent() : null;
  await dialog.getByRole('button', { name: 'CheckIn' }).click();
  await expect(dialog.getByText(/is checked in/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
  await expect(dialog).toBeHidden();
  return { secret, publicKey };
}

/** Types `text` into a picker (a box whose choices follow what is typed) and picks the choice named `choice`. */
export async function pick(scope: Locator | Page, label: string, text: string, choice: string): Promise<void> {
  const box = scope.getByRole('combobox', { name: label });
  await box.fill(text);
  await scope.getByRole('option', { name: choice, exact: true }).click();
  await expect(box).toHaveValue(choice);
}
