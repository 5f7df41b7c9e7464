import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { mapConstraintError } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { containsPattern } from '../../lib/contains-pattern.js';

/** What a list shows of a user (never its password hash). */
export interface UserListRow {
  id: string;
  username: string;
  displayName: string;
  roleName: string;
  disabledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
}

function usersRepo(db: DbClient) {
  return {
    count: () => db.user.count(),
    /** What a role grants (empty for a role that does not exist). */
    rolePermissions: async (name: string): Promise<string[]> =>
      (await db.role.findUnique({ where: { name }, select: { permissions: true } }))?.permissions ?? [],
    get: (id: string) => db.user.findUnique({ where: { id } }),
    /**
     * Users by username after `afterUsername`, those whose username or display name contains `q`
     * when given. SQL, not the client's `contains`, which would let `%` and `_` match anything.
     */
    list: (limit: number, filter: { q?: string | undefined; afterUsername?: string | undefined }) => {
      const where: Prisma.Sql[] = [];
      if (filter.q) {
        const pattern = containsPattern(filter.q);
        where.push(Prisma.sql`(username ILIKE ${pattern} OR display_name ILIKE ${pattern})`);
      }
      if (filter.afterUsername !== undefined) where.push(Prisma.sql`username > ${filter.afterUsername}`);
      return db.$queryRaw<UserListRow[]>`
        SELECT id::text AS id, username, display_name AS "displayName", role_name AS "roleName",
               disabled_at AS "disabledAt", last_login_at AS "lastLoginAt", created_at AS "createdAt"
          FROM users ${where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty}
         ORDER BY username
         LIMIT ${limit}`;
    },
    create: (data: { username: string; displayName: string; passwordHash: string; roleName: string }) =>
      db.user.create({ data }).catch((e: unknown) => mapConstraintError(e, `User ${data.username}`)),
    update: (id: string, data: { displayName?: string; roleName?: string; disabledAt?: Date | null; passwordHash?: string }) =>
      db.user.update({ where: { id }, data }).catch((e: unknown) => mapConstraintError(e, 'User')),
    async endSessions(userId: string): Promise<number> {
      return (await db.session.deleteMany({ where: { userId } })).count;
    },
    /** Revokes every live token of the user for good: re-enabling the user later revives none. */
    async revokeTokens(userId: string, at: Date, reason: string): Promise<number> {
      return (await db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } })).count;
    },
  };
}

export const createUsersRepo = (db: DbClient) => transactional(db, usersRepo);
export type UsersRepo = ReturnType<typeof createUsersRepo>;
export type UserRow = NonNullable<Awaited<ReturnType<UsersRepo['get']>>>;
