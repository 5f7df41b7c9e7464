import type { LdapSettings, LdapTestResult, UpdateLdapSettingsRequest } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import { AppError } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SessionCache } from '../auth/index.js';
import { createLdapAccounts, grantOf, passmanUsername } from './ldap-accounts.js';
import { createDirectory, DirectoryError, transportOf, type Directory } from './ldap-directory.js';
import { createLdapLogin } from './ldap-login.js';
import {
  LDAP_BIND_PASSWORD_KEY,
  LDAP_LAST_SYNC_KEY,
  LDAP_SETTINGS_KEY,
  openBindPassword,
  parseLastSync,
  parseStoredSettings,
  sealBindPassword,
  settingsChanges,
  type StoredLdapSettings,
} from './ldap-settings.js';
import { createLdapSync } from './ldap-sync.js';
import { presentLdapSettings } from './ldap.presenter.js';
import type { LdapRepo } from './ldap.repo.js';

/**
 * LDAP / Active Directory: the admin's settings (bind password sealed under the vault's master
 * key, never returned), the connection test, the login step for directory users and the sync.
 */
export function createLdapService(deps: {
  repo: LdapRepo;
  vault: Vault;
  audit: AuditService;
  sessionCache?: SessionCache;
  logger?: Logger;
  now?: () => Date;
  timeoutMs?: number;
}) {
  const now = deps.now ?? (() => new Date());
  const settings = async () => parseStoredSettings(await deps.repo.getSetting(LDAP_SETTINGS_KEY));

  async function directory(stored: StoredLdapSettings): Promise<Directory> {
    const sealed = await deps.repo.getSetting(LDAP_BIND_PASSWORD_KEY);
    let bindPassword: string | null = null;
    if (sealed) {
      if (deps.vault.sealed) throw new DirectoryError('LDAP_BIND_FAILED', 'the vault is sealed: the bind password cannot be opened');
      bindPassword = openBindPassword(deps.vault, sealed);
    }
    return createDirectory({ ...stored, bindPassword, timeoutMs: deps.timeoutMs });
  }

  const accounts = createLdapAccounts({ repo: deps.repo, audit: deps.audit, now, sessionCache: deps.sessionCache });
  const sync = createLdapSync({ repo: deps.repo, accounts, audit: deps.audit, settings, directory, now, logger: deps.logger });
  const login = createLdapLogin({ repo: deps.repo, accounts, settings, directory, logger: deps.logger });

  async function present(): Promise<LdapSettings> {
    return presentLdapSettings(
      await settings(),
      (await deps.repo.getSetting(LDAP_BIND_PASSWORD_KEY)) !== null,
      parseLastSync(await deps.repo.getSetting(LDAP_LAST_SYNC_KEY)),
    );
  }

  return {
    login,
    sync,
    getSettings: present,

    async updateSettings(ctx: RequestContext, input: UpdateLdapSettingsRequest): Promise<LdapSettings> {
      const { bindPassword, ...next } = input;
      if (bindPassword && deps.vault.sealed) throw new AppError('SEALED', 'The vault is sealed: a bind password cannot be stored');
      await deps.repo.transaction(async (repo, tx) => {
        const groupIds = [...new Set(next.groupMappings.map((m) => m.groupId))];
        const known = new Set(await repo.existingGroupIds(groupIds));
        const missing = next.groupMappings.findIndex((m) => !known.has(m.groupId));
        if (missing >= 0) {
          throw new AppError('VALIDATION_FAILED', 'A mapped PassMan group does not exist', {
            errors: [{ path: `groupMappings.${missing}.groupId`, message: 'no such group' }],
          });
        }
        const before = parseStoredSettings(await repo.getSetting(LDAP_SETTINGS_KEY));
        await repo.putSetting(LDAP_SETTINGS_KEY, JSON.stringify(next));
        const hadPassword = (await repo.getSetting(LDAP_BIND_PASSWORD_KEY)) !== null;
        if (bindPassword) await repo.putSetting(LDAP_BIND_PASSWORD_KEY, sealBindPassword(deps.vault, bindPassword));
        if (bindPassword === null) await repo.deleteSetting(LDAP_BIND_PASSWORD_KEY);
        const password = bindPassword ? (hadPassword ? 'changed' : 'set') : bindPassword === null && hadPassword ? 'removed' : null;
        await deps.audit.record(
          ctx,
          {
            action: 'ldap.settings.update',
            objectType: 'settings',
            objectId: null,
            // What changed, before and after; of the bind password only that it changed.
            details: { changes: settingsChanges(before, next), ...(password ? { bindPassword: password } : {}) },
          },
          tx,
        );
      });
      return present();
    },

    /** Connects with the stored settings and reports what it found, or the clear reason it failed. */
    async test(input: { username?: string }): Promise<LdapTestResult> {
      const stored = await settings();
      const transport = transportOf(stored);
      const result: LdapTestResult = { ok: false, code: null, message: '', transport, usersFound: null, user: null };
      if (!stored.url || !stored.baseDn) return { ...result, code: 'LDAP_NOT_CONFIGURED', message: 'Set the server URL and the base DN first' };
      try {
        const dir = await directory(stored);
        result.usersFound = await dir.countUsers();
        if (input.username) {
          const user = await dir.findUser(input.username);
          if (!user) return { ...result, code: 'LDAP_USER_NOT_FOUND', message: `Connected, but the user filter finds no single user named ${input.username}` };
          const grant = grantOf(stored, user);
          result.user = { dn: user.dn, username: passmanUsername(user) ?? user.username, displayName: user.displayName, groups: user.groups, ...grant };
        }
        return {
          ...result,
          ok: true,
          message: `Connected (${transport === 'none' ? 'no TLS' : transport}); the user filter finds ${result.usersFound} user(s)`,
        };
      } catch (err) {
        if (!(err instanceof DirectoryError)) throw err;
        return { ...result, code: err.code, message: err.message };
      }
    },

    /** The sync, started by an admin: it runs now whatever its interval. */
    async runSync(ctx: RequestContext) {
      const summary = await sync.run(ctx);
      if (!summary.ok && summary.error?.startsWith('LDAP_')) throw new AppError('LDAP_UNAVAILABLE', `The directory sync could not run: ${summary.error}`);
      return summary;
    },
  };
}

export type LdapService = ReturnType<typeof createLdapService>;
