import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

export const LDAP_PROVIDER = 'ldap';

const linkedUser = { id: true, username: true, displayName: true, roleName: true, disabledAt: true } as const;

function ldapRepo(db: DbClient) {
  return {
    getSetting: async (key: string) => (await db.systemSetting.findUnique({ where: { key } }))?.value ?? null,
    putSetting: (key: string, value: string) => db.systemSetting.upsert({ where: { key }, create: { key, value }, update: { value } }),
    deleteSetting: (key: string) => db.systemSetting.deleteMany({ where: { key } }),
    /** Stores `value` only if the key still holds `expected` (null: absent); false when another process got there first. */
    async compareAndSetSetting(key: string, expected: string | null, value: string): Promise<boolean> {
      if (expected === null) {
        const inserted =
          await db.$executeRaw`INSERT INTO system_settings (key, value, updated_at) VALUES (${key}, ${value}, now()) ON CONFLICT (key) DO NOTHING`;
        return inserted === 1;
      }
      return (await db.systemSetting.updateMany({ where: { key, value: expected }, data: { value } })).count === 1;
    },

    /** The directory account a user is linked to, if any (whatever its base DN). */
    identityOfUser: (userId: string) => db.externalIdentity.findFirst({ where: { userId, provider: LDAP_PROVIDER }, orderBy: { createdAt: 'asc' } }),

    userOfIdentity: async (issuer: string, subject: string) =>
      (
        await db.externalIdentity.findUnique({
          where: { provider_issuer_subject: { provider: LDAP_PROVIDER, issuer, subject } },
          include: { user: { select: linkedUser } },
        })
      )?.user ?? null,

    /** Every user linked to the directory, with its link (for the sync). */
    linkedUsers: () =>
      db.externalIdentity.findMany({ where: { provider: LDAP_PROVIDER }, include: { user: { select: linkedUser } }, orderBy: { createdAt: 'asc' } }),

    userByUsername: (username: string) => db.user.findUnique({ where: { username }, select: { id: true } }),

    createLinkedUser: async (data: {
      username: string;
      displayName: string;
      roleName: string;
      passwordHash: string;
      issuer: string;
      subject: string;
      at: Date;
    }) =>
      db.user.create({
        data: {
          username: data.username,
          displayName: data.displayName,
          roleName: data.roleName,
          passwordHash: data.passwordHash,
          externalIdentities: { create: { provider: LDAP_PROVIDER, issuer: data.issuer, subject: data.subject, lastSeenAt: data.at } },
        },
        select: linkedUser,
      }),

    /** Locks the user's row for a change (lock order: db/transaction.ts, the user before its memberships). */
    async lockUser(id: string) {
      const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
      return rows.length === 1 ? db.user.findUnique({ where: { id }, select: linkedUser }) : null;
    },

    updateUser: (id: string, data: { displayName?: string; roleName?: string; disabledAt?: Date }) =>
      db.user.update({ where: { id }, data, select: linkedUser }),

    touchIdentity: (id: string, at: Date) => db.externalIdentity.updateMany({ where: { id }, data: { lastSeenAt: at } }),

    endSessions: async (userId: string) => (await db.session.deleteMany({ where: { userId } })).count,

    revokeTokens: async (userId: string, at: Date, reason: string) =>
      (await db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } })).count,

    /** The PassMan groups among `groupIds` that exist, with whether the user is a member. */
    async mappedGroups(userId: string, groupIds: string[]) {
      const groups = await db.userGroup.findMany({
        where: { id: { in: groupIds } },
        select: { id: true, name: true, members: { where: { userId }, select: { userId: true } } },
        orderBy: { id: 'asc' },
      });
      return groups.map((g) => ({ id: g.id, name: g.name, member: g.members.length > 0 }));
    },

    existingGroupIds: async (ids: string[]) => (await db.userGroup.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((g) => g.id),

    addMember: (groupId: string, userId: string) => db.userGroupMember.createMany({ data: [{ groupId, userId }], skipDuplicates: true }),
    removeMember: (groupId: string, userId: string) => db.userGroupMember.deleteMany({ where: { groupId, userId } }),
  };
}

export const createLdapRepo = (db: DbClient) => transactional(db, ldapRepo);
export type LdapRepo = ReturnType<typeof createLdapRepo>;
