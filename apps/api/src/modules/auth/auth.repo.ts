import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

const userWithRole = { role: { select: { name: true, permissions: true } } } as const;

function authRepo(db: DbClient) {
  return {
    findUserByUsername: (username: string) =>
      db.user.findUnique({ where: { username: username.toLowerCase() }, include: userWithRole }),

    createSession: (data: { tokenHash: string; userId: string; ip: string | null; userAgent: string | null; expiresAt: Date }) =>
      db.session.create({ data, select: { id: true } }),

    findSessionByTokenHash: (tokenHash: string) =>
      db.session.findUnique({ where: { tokenHash }, include: { user: { include: userWithRole } } }),

    touchSession: (id: string, lastSeenAt: Date) => db.session.updateMany({ where: { id }, data: { lastSeenAt } }),

    deleteSession: (id: string) => db.session.deleteMany({ where: { id } }),

    deleteExpiredSessions: (now: Date, idleSince: Date) =>
      db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: idleSince } }] } }),

    recordLogin: (userId: string, at: Date) => db.user.update({ where: { id: userId }, data: { lastLoginAt: at } }),

    findTokenByHash: (tokenHash: string) =>
      db.apiToken.findUnique({ where: { tokenHash }, include: { user: { include: userWithRole } } }),

    touchToken: (id: string, lastUsedAt: Date) => db.apiToken.updateMany({ where: { id }, data: { lastUsedAt } }),

    getThrottle: (key: string) => db.loginThrottle.findUnique({ where: { key } }),

    getThrottles: (keys: string[]) => db.loginThrottle.findMany({ where: { key: { in: keys } } }),

    /** Counts one failure atomically (concurrent guesses cannot lose counts); restarts an expired window. */
    async countFailure(key: string, now: Date, windowMs: number): Promise<number> {
      const windowOpenedAfter = new Date(now.getTime() - windowMs);
      const rows = await db.$queryRaw<{ failures: number }[]>`
        INSERT INTO login_throttles (key, failures, window_start) VALUES (${key}, 1, ${now})
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN login_throttles.window_start < ${windowOpenedAfter} THEN 1 ELSE login_throttles.failures + 1 END,
          window_start = CASE WHEN login_throttles.window_start < ${windowOpenedAfter} THEN ${now} ELSE login_throttles.window_start END
        RETURNING failures`;
      return rows[0]?.failures ?? 1;
    },

    blockUntil: (key: string, blockedUntil: Date) =>
      db.loginThrottle.updateMany({ where: { key }, data: { blockedUntil } }),

    clearThrottle: (key: string) => db.loginThrottle.deleteMany({ where: { key } }),
  };
}

export const createAuthRepo = (db: DbClient) => transactional(db, authRepo);
export type AuthRepo = ReturnType<typeof createAuthRepo>;
