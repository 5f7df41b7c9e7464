import type { Logger } from 'pino';
import type { RequestContext } from '../../lib/actor.js';
import type { PrimaryAuthenticator, PrimaryOutcome } from '../auth/index.js';
import { grantOf, passmanUsername, type LdapAccounts } from './ldap-accounts.js';
import { DirectoryError, type Directory } from './ldap-directory.js';
import { normalizeDn } from './ldap-filter.js';
import type { StoredLdapSettings } from './ldap-settings.js';
import type { LdapRepo } from './ldap.repo.js';

const LOCAL: PrimaryOutcome = { kind: 'local' };

/**
 * The login step for directory users. A user linked to the directory signs in only with the
 * directory's password (never a stale local hash); a local user (the break-glass admin
 * included) is handed back to the local check; a name PassMan does not know is looked up in
 * the directory and, at its first successful bind, made a PassMan user with its mapped role.
 */
export function createLdapLogin(deps: {
  repo: LdapRepo;
  accounts: LdapAccounts;
  settings: () => Promise<StoredLdapSettings>;
  directory: (settings: StoredLdapSettings) => Promise<Directory>;
  logger?: Logger;
}): PrimaryAuthenticator {
  async function authenticate(input: { username: string; password: string; userId: string | null }, ctx: RequestContext): Promise<PrimaryOutcome> {
    const identity = input.userId ? await deps.repo.identityOfUser(input.userId) : null;
    if (!identity && input.userId) return LOCAL;
    const settings = await deps.settings();
    if (!settings.enabled) return identity ? { kind: 'rejected', userId: input.userId, reason: 'ldap-disabled' } : LOCAL;
    const rejected = (reason: string, userId = input.userId): PrimaryOutcome => ({ kind: 'rejected', userId, reason });
    if (!input.password) return rejected('empty-password');
    try {
      const directory = await deps.directory(settings);
      const user = identity ? await directory.readUser(identity.subject) : await directory.findUser(input.username);
      if (!user) return rejected(identity ? 'gone-from-directory' : 'unknown-user');
      if (!(await directory.verifyPassword(user.dn, input.password))) return rejected('wrong-password');
      const grant = grantOf(settings, user);
      if (!grant.role) return rejected('no-mapped-role');
      const role = grant.role;
      if (identity && input.userId) {
        await deps.accounts.update(ctx, settings, input.userId, identity.id, user, { ...grant, role });
        return { kind: 'accepted', userId: input.userId };
      }
      const issuer = normalizeDn(settings.baseDn);
      const linked = await deps.repo.userOfIdentity(issuer, user.dn);
      if (linked) {
        // Signed in by another name the filter accepts (e.g. mail): the link decides who it is.
        const link = await deps.repo.identityOfUser(linked.id);
        if (link) await deps.accounts.update(ctx, settings, linked.id, link.id, user, { ...grant, role });
        return { kind: 'accepted', userId: linked.id };
      }
      const username = passmanUsername(user);
      if (!username) return rejected('username-not-allowed');
      const created = await deps.accounts.create(ctx, settings, issuer, user, username, { ...grant, role });
      if (created) return { kind: 'accepted', userId: created.id };
      const raced = await deps.repo.userOfIdentity(issuer, user.dn);
      return raced ? { kind: 'accepted', userId: raced.id } : rejected('username-taken-by-local-user');
    } catch (err) {
      if (!(err instanceof DirectoryError)) throw err;
      deps.logger?.warn({ code: err.code, reason: err.message }, 'LDAP login: the directory could not answer');
      return { kind: 'unavailable', userId: input.userId, reason: err.code };
    }
  }

  return {
    authenticate,
    async unavailable() {
      const settings = await deps.settings();
      if (!settings.enabled) return false;
      try {
        await (await deps.directory(settings)).ping();
        return false;
      } catch (err) {
        if (err instanceof DirectoryError) return true;
        throw err;
      }
    },
  };
}
