import { isOperatorUsername, type RoleName } from '@passman/contracts';
import { hasSqlState } from '../../db/pg-errors.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SessionCache } from '../auth/index.js';
import type { DirectoryUser } from './ldap-directory.js';
import { normalizeDn } from './ldap-filter.js';
import type { StoredLdapSettings } from './ldap-settings.js';
import type { LdapRepo } from './ldap.repo.js';

/** What a directory user gets in PassMan, from the group mappings. */
export interface DirectoryGrant {
  /** Null: in no mapped group and there is no default role, so not allowed in. */
  role: RoleName | null;
  groupIds: string[];
}

export function grantOf(settings: StoredLdapSettings, user: Pick<DirectoryUser, 'groups'>): DirectoryGrant {
  const groups = new Set(user.groups.map(normalizeDn));
  const role = settings.roleMappings.find((m) => groups.has(normalizeDn(m.group)))?.role ?? settings.defaultRole;
  const groupIds = [...new Set(settings.groupMappings.filter((m) => groups.has(normalizeDn(m.group))).map((m) => m.groupId))];
  return { role, groupIds };
}

/** The PassMan username of a directory user: its username attribute, lower-cased; null when PassMan cannot hold it. */
export function passmanUsername(user: Pick<DirectoryUser, 'username'>): string | null {
  const name = user.username.trim().toLowerCase();
  return isOperatorUsername(name) ? name : null;
}

/** Marks a directory user's password column: no argon2 hash, so a local password can never match it. */
export const DIRECTORY_PASSWORD_MARK = '!ldap';

/** What the directory sync and the login write as the actor of changes nobody typed. */
export const LDAP_ACTOR = 'ldap-sync';

export function createLdapAccounts(deps: { repo: LdapRepo; audit: AuditService; now: () => Date; sessionCache?: SessionCache }) {
  /**
   * Brings a linked user in line with the directory: display name, role (a change ends its
   * sessions and tokens, as an admin's would), and membership of the mapped PassMan groups
   * (other groups are the admins' to manage). Each change is audited with before and after.
   * Returns whether anything changed.
   */
  async function update(
    ctx: RequestContext,
    settings: StoredLdapSettings,
    userId: string,
    identityId: string,
    user: DirectoryUser,
    grant: DirectoryGrant & { role: RoleName },
  ) {
    const changed = await deps.repo.transaction(async (repo, tx) => {
      const before = await repo.lockUser(userId);
      // A disabled user stays as it was disabled: its login fails anyway, and re-enabling is an admin's call.
      if (!before || before.disabledAt) return false;
      const at = deps.now();
      await repo.touchIdentity(identityId, at);
      let touched = false;
      const displayName = user.displayName || before.displayName;
      if (displayName !== before.displayName || grant.role !== before.roleName) {
        await repo.updateUser(userId, { displayName, roleName: grant.role });
        const roleChanged = grant.role !== before.roleName;
        const sessionsEnded = roleChanged ? await repo.endSessions(userId) : 0;
        const tokensRevoked = roleChanged ? await repo.revokeTokens(userId, at, 'role-changed') : 0;
        await deps.audit.record(
          ctx,
          {
            action: 'user.update',
            objectType: 'user',
            objectId: userId,
            actorName: ctx.actor ? undefined : LDAP_ACTOR,
            details: {
              source: 'ldap',
              username: before.username,
              before: { role: before.roleName, displayName: before.displayName },
              after: { role: grant.role, displayName },
              ...(roleChanged ? { revokedBecause: 'role-changed', sessionsEnded, tokensRevoked } : {}),
            },
          },
          tx,
        );
        touched = true;
      }
      const managed = [...new Set(settings.groupMappings.map((m) => m.groupId))];
      for (const group of await repo.mappedGroups(userId, managed)) {
        const member = grant.groupIds.includes(group.id);
        if (member === group.member) continue;
        if (member) await repo.addMember(group.id, userId);
        else await repo.removeMember(group.id, userId);
        await deps.audit.record(
          ctx,
          {
            action: member ? 'group.member.add' : 'group.member.remove',
            objectType: 'group',
            objectId: group.id,
            actorName: ctx.actor ? undefined : LDAP_ACTOR,
            details: { source: 'ldap', group: group.name, userId, username: before.username, before: { member: !member }, after: { member } },
          },
          tx,
        );
        touched = true;
      }
      return touched;
    });
    // After the commit: a request that read a session before it must not cache it again.
    if (changed) deps.sessionCache?.invalidate();
    return changed;
  }

  return {
    update,

    /**
     * The first login of a directory user: creates the PassMan user linked to `user.dn` with
     * its mapped role and groups. Null when the name is taken by a user not linked to this
     * account (a local user is never taken over by a directory account of the same name).
     */
    async create(
      ctx: RequestContext,
      settings: StoredLdapSettings,
      issuer: string,
      user: DirectoryUser,
      username: string,
      grant: DirectoryGrant & { role: RoleName },
    ) {
      const created = await deps.repo
        .transaction(async (repo, tx) => {
          if (await repo.userByUsername(username)) return null;
          const row = await repo.createLinkedUser({
            username,
            displayName: user.displayName || username,
            roleName: grant.role,
            passwordHash: DIRECTORY_PASSWORD_MARK,
            issuer,
            subject: user.dn,
            at: deps.now(),
          });
          await deps.audit.record(
            ctx,
            {
              action: 'user.create',
              objectType: 'user',
              objectId: row.id,
              actorName: LDAP_ACTOR,
              details: { source: 'ldap', username, role: grant.role, dn: user.dn },
            },
            tx,
          );
          return row;
        })
        // Two first logins at once: the other one created the user (its name or DN is taken now).
        .catch((err: unknown) => {
          if (hasSqlState(err, '23505') || (err as { code?: unknown }).code === 'P2002') return null;
          throw err;
        });
      if (!created) return null;
      const identity = await deps.repo.identityOfUser(created.id);
      // Group memberships through the same path as later logins and the sync: audited one by one.
      if (identity) await update(ctx, settings, created.id, identity.id, user, grant);
      return created;
    },

    /** Disables a linked user gone from the directory (or from every mapped group): ends its sessions, revokes its tokens. */
    async disable(ctx: RequestContext, userId: string, reason: string) {
      const disabled = await deps.repo.transaction(async (repo, tx) => {
        const before = await repo.lockUser(userId);
        if (!before || before.disabledAt) return false;
        const at = deps.now();
        await repo.updateUser(userId, { disabledAt: at });
        const sessionsEnded = await repo.endSessions(userId);
        const tokensRevoked = await repo.revokeTokens(userId, at, 'user-disabled');
        await deps.audit.record(
          ctx,
          {
            action: 'user.update',
            objectType: 'user',
            objectId: userId,
            actorName: ctx.actor ? undefined : LDAP_ACTOR,
            details: {
              source: 'ldap',
              username: before.username,
              reason,
              before: { disabled: false },
              after: { disabled: true },
              revokedBecause: 'user-disabled',
              sessionsEnded,
              tokensRevoked,
            },
          },
          tx,
        );
        return true;
      });
      if (disabled) deps.sessionCache?.invalidate();
      return disabled;
    },
  };
}

export type LdapAccounts = ReturnType<typeof createLdapAccounts>;
