import type { DbClient } from '../../db/transaction.js';
import { mapConstraintError } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

function usersRepo(db: DbClient) {
  return {
    count: () => db.user.count(),
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
    endSessions: (userId: string) => db.session.deleteMany({ where: { userId } }),
  };
}

export const createUsersRepo = (db: DbClient) => transactional(db, usersRepo);
export type UsersRepo = ReturnType<typeof createUsersRepo>;
export type UserRow = NonNullable<Awaited<ReturnType<UsersRepo['get']>>>;
