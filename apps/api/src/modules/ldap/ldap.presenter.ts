import type { LdapSettings, LdapSyncSummary } from '@passman/contracts';
import type { StoredLdapSettings } from './ldap-settings.js';

/** The settings as the API shows them: whether a bind password is stored, never the password. */
export function presentLdapSettings(stored: StoredLdapSettings, hasBindPassword: boolean, lastSync: LdapSyncSummary | null): LdapSettings {
  return { ...stored, hasBindPassword, lastSync };
}
