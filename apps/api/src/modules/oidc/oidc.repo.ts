import { mapConstraintError, type DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

export const OIDC_SETTINGS_KEY = 'oidc.settings';
export const OIDC_CLIENT_SECRET_KEY = 'oidc.client_secret';

const userSelect = {
  id: true,
  username: true,
  displayName: true,
  roleName: true,
  disabledAt: true,
  role: { select: { name: true, permissions: true } },
} as const;

function oidcRepo(db: DbClient) {
  return {
    getSetting: async (key: string) => (await db.systemSetting.findUnique({ where: { key } }))?.value ?? null,
    putSetting: (key: string, value: string) => db.systemSetting.upsert({ where: { key }, create: { key, value }, update: { value } }),
    /** Serialises changes of the settings until the transaction ends. */
    lockSettings: () => db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('passman.oidc.settings'))`,
    deleteSetting: (key: string) => db.systemSetting.deleteMany({ where: { key } }),
    /** Replaces a setting only if it still holds `expected`; false when someone changed or removed it meanwhile. */
    replaceSetting: async (key: string, expected: string, value: string) =>
      (await db.systemSetting.updateMany({ where: { key, value: expected }, data: { value } })).count === 1,

    saveLoginState: (data: { browserHash: string; state: string; nonce: string; codeVerifier: string; expiresAt: Date }) =>
      db.oidcLoginState.create({ data, select: { id: true } }),
    /** Deletes and returns the login of this browser: a second callback with it finds nothing (single use). */
    takeLoginState: async (browserHash: string) => {
      const rows = await db.$queryRaw<{ state: string; nonce: string; codeVerifier: string; expiresAt: Date }[]>`
        DELETE FROM oidc_login_states WHERE browser_hash = ${browserHash}
        RETURNING state, nonce, code_verifier AS "codeVerifier", expires_at AS "expiresAt"`;
      return rows[0] ?? null;
    },
    liveLoginStates: () => db.oidcLoginState.count(),
    purgeExpiredLoginStates: async (now: Date) => (await db.oidcLoginState.deleteMany({ where: { expiresAt: { lte: now } } })).count,

    findLinkedUser: (issuer: string, subject: string) =>
      db.externalIdentity.findUnique({
        where: { provider_issuer_subject: { provider: 'oidc', issuer, subject } },
        select: { id: true, user: { select: userSelect } },
      }),
    findUserByUsername: (username: string) => db.user.findUnique({ where: { username }, select: userSelect }),
    /** The user's links to outside identities (any provider). */
    identitiesOf: (userId: string) => db.externalIdentity.findMany({ where: { userId }, select: { provider: true, issuer: true, subject: true } }),
    /** Locks the user's row until the transaction ends: two first logins of one person link once. */
    lockUser: async (userId: string) =>
      (await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM users WHERE id = ${userId}::uuid FOR UPDATE`)[0] ?? null,
    createUser: (data: { username: string; displayName: string; passwordHash: string; roleName: string }) =>
      db.user.create({ data, select: userSelect }).catch((e: unknown) => mapConstraintError(e, `User ${data.username}`)),
    link: (userId: string, issuer: string, subject: string, at: Date) =>
      db.externalIdentity
        .create({ data: { userId, provider: 'oidc', issuer, subject, lastSeenAt: at }, select: { id: true } })
        .catch((e: unknown) => mapConstraintError(e, 'A link to this account')),
    touchIdentity: (id: string, at: Date) => db.externalIdentity.update({ where: { id }, data: { lastSeenAt: at } }),
    setRole: (userId: string, roleName: string) => db.user.update({ where: { id: userId }, data: { roleName }, select: userSelect }),
    endSessions: async (userId: string) => (await db.session.deleteMany({ where: { userId } })).count,
    revokeTokens: async (userId: string, at: Date, reason: string) =>
      (await db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } })).count,

    groupsOf: async (userId: string, groupIds: string[]) =>
      (await db.userGroupMember.findMany({ where: { userId, groupId: { in: groupIds } }, select: { groupId: true } })).map((m) => m.groupId),
    groupNames: async (ids: string[]) => db.userGroup.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
    addMember: async (groupId: string, userId: string) =>
      (await db.$executeRaw`INSERT INTO user_group_members (group_id, user_id) VALUES (${groupId}::uuid, ${userId}::uuid) ON CONFLICT DO NOTHING`) > 0,
    removeMember: async (groupId: string, userId: string) => (await db.userGroupMember.deleteMany({ where: { groupId, userId } })).count > 0,

    createSession: (data: { tokenHash: string; userId: string; ip: string | null; userAgent: string | null; expiresAt: Date; secondFactorAt: Date | null }) =>
      db.session.create({ data, select: { id: true } }),
    recordLogin: (userId: string, at: Date) => db.user.update({ where: { id: userId }, data: { lastLoginAt: at }, select: { id: true } }),
  };
}

export const createOidcRepo = (db: DbClient) => transactional(db, oidcRepo);
export type OidcRepo = ReturnType<typeof createOidcRepo>;
/** The repo's queries, bound to a transaction or not. */
export type OidcQueries = ReturnType<typeof oidcRepo>;
export type OidcUserRow = NonNullable<Awaited<ReturnType<OidcRepo['findUserByUsername']>>>;
