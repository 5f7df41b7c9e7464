import type { DbClient } from '../../db/transaction.js';
import { mapConstraintError } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

function usersRepo(db: DbClient) {
  return {
    count: () => db.user.count(),
    /** What a role grants (empty for a role that does not exist). */
    rolePermissions: async (name: string): Promise<string[]> =>
      (await db.role.findUnique({ where: { name }, select: { permissions: true } }))?.permissions ?? [],
    get: (id: string) => db.user.findUnique({ where: { id } }),
    list: (limit: number, afterUsername?: string) =>
      db.user.findMany({
        where: afterUsername ? { username: { gt: afterUsername } } : undefined,
        orderBy: { username: 'asc' },
        take: limit,
      }),
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
