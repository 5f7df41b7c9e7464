import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { olderThan, type CreatedKey } from '../../lib/newest-first.js';

const SESSION_COLUMNS = { id: true, createdAt: true, expiresAt: true, lastSeenAt: true, ip: true, lastSeenIp: true, userAgent: true } as const;

function sessionsRepo(db: DbClient) {
  return {
    userExists: async (id: string) => (await db.user.count({ where: { id } })) > 0,
    /** Never the token hash. */
    pageOfUser: (userId: string, limit: number, after?: CreatedKey) =>
      db.session.findMany({
        where: { userId, ...olderThan(after) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
        select: SESSION_COLUMNS,
      }),
    /** Deletes the session only when it belongs to `userId`; returns how many were deleted (0 or 1). */
    async deleteOfUser(id: string, userId: string): Promise<number> {
      return (await db.session.deleteMany({ where: { id, userId } })).count;
    },
    /** Every session of `userId` but `keepId`. */
    async deleteOthersOfUser(userId: string, keepId: string): Promise<number> {
      return (await db.session.deleteMany({ where: { userId, id: { not: keepId } } })).count;
    },
    async deleteAllOfUser(userId: string): Promise<number> {
      return (await db.session.deleteMany({ where: { userId } })).count;
    },
  };
}

export const createSessionsRepo = (db: DbClient) => transactional(db, sessionsRepo);
export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
export type SessionRow = Awaited<ReturnType<SessionsRepo['pageOfUser']>>[number];
