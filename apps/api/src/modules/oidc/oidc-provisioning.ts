import { isOperatorUsername } from '@passman/contracts';
import { AppError } from '../../lib/app-error.js';
import type { AuditRecord } from '../audit/audit.service.js';
import { asSingleLineText, DISPLAY_NAME_MAX_LENGTH } from '@passman/contracts';
import { claimValues, groupsFromClaims, roleFromClaims, type Claims } from './oidc-claims.js';
import { OidcLoginFailure } from './oidc-login-failure.js';
import type { OidcQueries, OidcUserRow } from './oidc.repo.js';
import type { StoredOidcSettings } from './oidc-settings.js';

/** The password hash of a user made by single sign-on: not an argon2 hash, so no password ever matches it. */
export const NO_PASSWORD = '!oidc';

/**
 * Finds the user an SSO login is for, in the caller's transaction: the one linked to this
 * issuer and subject; else, on a first login, the user whose username is the linking claim's
 * value (linked now), else a new user. Then applies the mapped role and groups. Refuses
 * (account takeover): a claim the provider does not vouch for (email without email_verified),
 * a user already linked to another outside account, and the break-glass admin, who logs in
 * only with a password.
 */
export async function provisionUser(input: {
  repo: OidcQueries;
  settings: StoredOidcSettings;
  issuer: string;
  subject: string;
  claims: Claims;
  at: Date;
}): Promise<{ user: OidcUserRow; events: AuditRecord[]; endedSessions: boolean }> {
  const { repo, settings, issuer, subject, claims, at } = input;
  const events: AuditRecord[] = [];
  let endedSessions = false;
  const breakGlass = settings.breakGlassUsername;
  let user: OidcUserRow;

  const linked = await repo.findLinkedUser(issuer, subject);
  if (linked) {
    user = linked.user;
    await repo.touchIdentity(linked.id, at);
  } else {
    const value = claimValues(claims, settings.linkClaim)[0]?.trim().toLowerCase();
    if (!value) throw new OidcLoginFailure('OIDC_CLAIM_MISSING', `the provider sent no ${settings.linkClaim} claim to link or create the user by`);
    if (settings.linkClaim === 'email' && claims.email_verified !== true) {
      throw new OidcLoginFailure('OIDC_EMAIL_NOT_VERIFIED', 'the provider does not say the email address is verified, so it cannot name a PassMan user');
    }
    if (!isOperatorUsername(value)) throw new OidcLoginFailure('OIDC_CLAIM_MISSING', `the ${settings.linkClaim} claim is not a usable PassMan username`);
    if (value === breakGlass) throw new OidcLoginFailure('OIDC_ACCOUNT_CONFLICT', 'the break-glass admin cannot be signed in by single sign-on');
    const existing = await repo.findUserByUsername(value);
    if (existing) {
      await repo.lockUser(existing.id);
      const identities = await repo.identitiesOf(existing.id);
      if (identities.length > 0) {
        throw new OidcLoginFailure('OIDC_ACCOUNT_CONFLICT', `the user ${existing.username} is already linked to another outside account`);
      }
      await guard(() => repo.link(existing.id, issuer, subject, at));
      events.push({
        action: 'user.link',
        objectType: 'user',
        objectId: existing.id,
        details: { username: existing.username, provider: 'oidc', issuer, subject },
      });
      user = existing;
    } else {
      const role = roleFromClaims(claims, settings);
      const initialRole = role === 'unchanged' ? settings.defaultRole : role;
      if (!initialRole) throw new OidcLoginFailure('OIDC_NO_ROLE', 'none of the role claim values is mapped to a PassMan role and there is no default role');
      // The provider's text is shown in the console and the CLI, and written to logs: one line, as a request's would be.
      const displayName = asSingleLineText(claimValues(claims, 'name')[0] ?? value, DISPLAY_NAME_MAX_LENGTH).trim() || value;
      user = await guard(() => repo.createUser({ username: value, displayName, passwordHash: NO_PASSWORD, roleName: initialRole }));
      await guard(() => repo.link(user.id, issuer, subject, at));
      events.push({
        action: 'user.create',
        objectType: 'user',
        objectId: user.id,
        details: { username: value, role: initialRole, provider: 'oidc', issuer, subject },
      });
    }
  }

  if (user.username === breakGlass) throw new OidcLoginFailure('OIDC_ACCOUNT_CONFLICT', 'the break-glass admin cannot be signed in by single sign-on');
  if (user.disabledAt) throw new OidcLoginFailure('OIDC_USER_DISABLED', `the user ${user.username} is disabled in PassMan`);

  const role = roleFromClaims(claims, settings);
  if (role === null) throw new OidcLoginFailure('OIDC_NO_ROLE', 'none of the role claim values is mapped to a PassMan role and there is no default role');
  if (role !== 'unchanged' && role !== user.roleName) {
    const before = user.roleName;
    user = await repo.setRole(user.id, role);
    // As when an administrator changes a role: what the old role opened is closed.
    const sessionsEnded = await repo.endSessions(user.id);
    endedSessions = sessionsEnded > 0;
    const tokensRevoked = await repo.revokeTokens(user.id, at, 'role-changed');
    events.push({
      action: 'user.update',
      objectType: 'user',
      objectId: user.id,
      details: {
        username: user.username,
        source: 'oidc',
        before: { role: before },
        after: { role },
        revokedBecause: 'role-changed',
        sessionsEnded,
        tokensRevoked,
      },
    });
  }

  const { wanted, managed } = groupsFromClaims(claims, settings);
  if (managed.size > 0) {
    const current = new Set(await repo.groupsOf(user.id, [...managed]));
    const added = [...wanted].filter((id) => !current.has(id));
    const removed = [...current].filter((id) => !wanted.has(id));
    for (const id of added) await repo.addMember(id, user.id);
    for (const id of removed) await repo.removeMember(id, user.id);
    if (added.length + removed.length > 0) {
      const names = new Map((await repo.groupNames([...current, ...wanted])).map((g) => [g.id, g.name]));
      const named = (ids: Iterable<string>) => [...ids].map((id) => names.get(id) ?? id).sort();
      events.push({
        action: 'user.groups.sync',
        objectType: 'user',
        objectId: user.id,
        details: { username: user.username, source: 'oidc', before: { groups: named(current) }, after: { groups: named(wanted) } },
      });
    }
  }
  return { user, events, endedSessions };
}

/** A link or user another login made meanwhile: refuse rather than guess whose it is. */
async function guard<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof AppError && error.code === 'ALREADY_EXISTS') {
      throw new OidcLoginFailure('OIDC_ACCOUNT_CONFLICT', 'another login linked or created this account at the same moment; try again');
    }
    throw error;
  }
}
