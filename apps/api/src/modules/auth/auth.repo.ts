import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

interface SessionJoinRow {
  id: string;
  expires_at: Date;
  last_seen_at: Date;
  user_id: string;
  username: string;
  display_name: string;
  disabled_at: Date | null;
  role_name: string;
  permissions: string[];
}

export interface SessionWithUser {
  id: string;
  expiresAt: Date;
  lastSeenAt: Date;
  user: { id: string; username: string; displayName: string; disabledAt: Date | null; role: { name: string; permissions: string[] } };
}

const userWithRole = { role: { select: { name: true, permissions: true } } } as const;

function authRepo(db: DbClient) {
  return {
    findUserByUsername: (username: string) =>
      db.user.findUnique({ where: { username: username.toLowerCase() }, include: userWithRole }),

    createSession: (data: { tokenHash: string; userId: string; ip: string | null; userAgent: string | null; expiresAt: Date }) =>
      db.session.create({ data, select: { id: true } }),

    /** Every authenticated request runs this: one round trip (session, user and role joined), not three. */
    async findSessionByTokenHash(tokenHash: string): Promise<SessionWithUser | null> {
      const rows = await db.$queryRaw<SessionJoinRow[]>`
        SELECT s.id, s.expires_at, s.last_seen_at,
               u.id AS user_id, u.username, u.display_name, u.disabled_at, r.name AS role_name, r.permissions
          FROM sessions s JOIN users u ON u.id = s.user_id JOIN roles r ON r.name = u.role_name
         WHERE s.token_hash = ${tokenHash}`;
      const row = rows[0];
      if (!row) return null;
      return {
        id: row.id,
        expiresAt: row.expires_at,
        lastSeenAt: row.last_seen_at,
        user: { id: row.user_id, username: row.username, displayName: row.display_name, disabledAt: row.disabled_at, role: { name: row.role_name, permissions: row.permissions } },
      };
    },

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
