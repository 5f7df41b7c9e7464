import { LDAP_BASE_DN, ldapFixture, ldapPeople, startSlapd, type Slapd } from '@passman/testkit';
import type { LdapSettings } from '@passman/contracts';
import { expect, test } from '../support/fixtures.js';
import { signInAs } from '../support/users.js';

// The LDAP settings page against a real slapd: an admin fills it in, tests the connection, and a
// directory user then signs in with the normal login form.

const people = ldapPeople();
let slapd: Slapd;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  slapd = await startSlapd({ baseDn: LDAP_BASE_DN, ldif: ldapFixture(people) });
});
test.afterAll(async () => {
  await slapd?.stop();
});

test('an admin sets up LDAP, tests the connection, and a directory user signs in with the login form', async ({ page, api, browser }) => {
  try {
    await page.goto('/settings/ldap');
    await expect(page.getByRole('tab', { name: 'LDAP' })).toHaveAttribute('aria-selected', 'true');
    const form = page.getByRole('form', { name: 'LDAP / Active Directory' });
    await form.getByLabel('Directory users can sign in').check();
    await form.getByLabel('Server URL').fill(slapd.url);
    await form.getByLabel('Use StartTLS').check();
    await form.getByLabel('CA certificate (PEM)').fill(slapd.pki.caPem);
    await form.getByLabel('Bind DN').fill(`cn=reader,ou=system,${LDAP_BASE_DN}`);
    await form.getByLabel('Bind password', { exact: true }).fill(people.reader);
    await form.getByLabel('Base DN').fill(LDAP_BASE_DN);
    await form.getByRole('button', { name: 'Add a role mapping' }).click();
    await form.getByLabel('Directory group DN 1').fill(`cn=passman-admins,ou=groups,${LDAP_BASE_DN}`);
    await form.getByLabel('Role 1').selectOption('admin');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    // Write-only: the field is empty again, and the page says a password is stored.
    await expect(form.getByLabel('Bind password', { exact: true })).toHaveValue('');
    await expect(form.getByText('A password is stored (never shown).')).toBeVisible();
    expect(JSON.stringify(await api.get<LdapSettings>('/ldap/settings'))).not.toContain(people.reader);

    await page.getByLabel('Username to look up (optional)').fill('alice');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('ldap-test-result');
    await expect(result).toContainText('Connected (starttls); the user filter finds 4 user(s)');
    await expect(result).toContainText(`uid=alice,ou=people,${LDAP_BASE_DN}`);
    await expect(result).toContainText('admin');

    const { context, page: alicePage } = await signInAs(browser, 'alice', people.alice);
    await expect(alicePage.getByRole('tab', { name: 'LDAP' })).toBeVisible(); // an admin through the mapping
    await context.close();
  } finally {
    const current = await api.get<LdapSettings>('/ldap/settings');
    const { hasBindPassword: _stored, lastSync: _last, ...settings } = current;
    await api.put('/ldap/settings', { ...settings, enabled: false });
  }
});
