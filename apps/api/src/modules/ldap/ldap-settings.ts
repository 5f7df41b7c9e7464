import type { LdapSyncSummary, UpdateLdapSettingsRequest } from '@passman/contracts';
import type { AuditDetails } from '../audit/audit.repo.js';
import { decodeSealedText, encodeSealedText, type EnvelopeContext, type Vault } from '@passman/vault';
import type { LdapRepo } from './ldap.repo.js';

type AuditValue = AuditDetails[string];

/** `system_settings` keys: the settings (no secret), the bind password (sealed), the last sync. */
export const LDAP_SETTINGS_KEY = 'ldap.settings';
export const LDAP_BIND_PASSWORD_KEY = 'ldap.bind_password';
export const LDAP_LAST_SYNC_KEY = 'ldap.last_sync';

/** The envelope context the bind password is sealed under (a ciphertext copied elsewhere does not open). */
const BIND_PASSWORD_CONTEXT: EnvelopeContext = { credentialId: 'passman-ldap-bind-password', version: 1, purpose: 'ldap-bind-password' };

export type StoredLdapSettings = Omit<UpdateLdapSettingsRequest, 'bindPassword'>;

export const DEFAULT_LDAP_SETTINGS: StoredLdapSettings = {
  enabled: false,
  url: '',
  startTls: false,
  caCertificate: '',
  bindDn: '',
  baseDn: '',
  userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
  usernameAttribute: 'uid',
  displayNameAttribute: 'cn',
  groupAttribute: '',
  groupSearchBase: '',
  groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
  defaultRole: null,
  roleMappings: [],
  groupMappings: [],
  syncIntervalMinutes: 60,
};

export function parseStoredSettings(value: string | null): StoredLdapSettings {
  if (!value) return DEFAULT_LDAP_SETTINGS;
  // Fields added in later versions take their defaults.
  return { ...DEFAULT_LDAP_SETTINGS, ...(JSON.parse(value) as Partial<StoredLdapSettings>) };
}

export function parseLastSync(value: string | null): LdapSyncSummary | null {
  return value ? (JSON.parse(value) as LdapSyncSummary) : null;
}

export function sealBindPassword(vault: Vault, password: string): string {
  return encodeSealedText(vault.encrypt(password, BIND_PASSWORD_CONTEXT));
}

export function openBindPassword(vault: Vault, value: string): string {
  return vault.decrypt(decodeSealedText(value), BIND_PASSWORD_CONTEXT).toString('utf8');
}

/**
 * Re-wraps the stored bind password under the active master key (master key rotation); true when it
 * changed. Stored only if the setting still holds the value read: an administrator's change meanwhile is kept.
 */
export async function rewrapLdapBindPassword(deps: { vault: Vault; repo: Pick<LdapRepo, 'getSetting' | 'compareAndSetSetting'> }): Promise<boolean> {
  const stored = await deps.repo.getSetting(LDAP_BIND_PASSWORD_KEY);
  if (!stored) return false;
  const record = decodeSealedText(stored);
  if (!deps.vault.needsRewrap(record)) return false;
  return deps.repo.compareAndSetSetting(LDAP_BIND_PASSWORD_KEY, stored, encodeSealedText(deps.vault.rewrap(record, BIND_PASSWORD_CONTEXT)));
}

/** The settings as an audit event may show them: each changed field before and after, never the password (only that it changed). */
export function settingsChanges(before: StoredLdapSettings, after: StoredLdapSettings) {
  const changes: Record<string, { before: AuditValue; after: AuditValue }> = {};
  for (const field of Object.keys(after) as (keyof StoredLdapSettings)[]) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
      // A CA certificate is public but long: the audit says whether there is one.
      const show = (v: StoredLdapSettings[typeof field]) => (field === 'caCertificate' ? (v ? 'set' : 'none') : (v as AuditValue));
      changes[field] = { before: show(before[field]), after: show(after[field]) };
    }
  }
  return changes;
}
