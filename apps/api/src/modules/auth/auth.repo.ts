import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { blockDuration, type ThrottleRule } from './throttle-rules.js';

interface SessionJoinRow {
  id: string;
  created_at: Date;
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
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  user: { id: string; username: string; displayName: string; disabledAt: Date | null; role: { name: string; permissions: string[] } };
}

const userWithRole = { role: { select: { name: true, permissions: true } } } as const;

function authRepo(db: DbClient) {
  return {
    findUserByUsername: (username: string) => db.user.findUnique({ where: { username: username.toLowerCase() }, include: userWithRole }),
    findUserById: (id: string) => db.user.findUnique({ where: { id }, include: userWithRole }),

    createSession: (data: { tokenHash: string; userId: string; ip: string | null; userAgent: string | null; expiresAt: Date; secondFactorAt: Date | null }) =>
      db.session.create({ data: { ...data, lastSeenIp: data.ip }, select: { id: true } }),

    /**
     * Locks the user's row for a login about to create a session, and returns what the password
     * check relied on: a password, role or status change commits before or after, never between.
     */
    async lockUserForLogin(id: string): Promise<{ passwordHash: string; roleName: string; disabledAt: Date | null } | null> {
      const rows = await db.$queryRaw<{ password_hash: string; role_name: string; disabled_at: Date | null }[]>`
        SELECT password_hash, role_name, disabled_at FROM users WHERE id = ${id}::uuid FOR NO KEY UPDATE`;
      const row = rows[0];
      return row ? { passwordHash: row.password_hash, roleName: row.role_name, disabledAt: row.disabled_at } : null;
    },

    /** Every authenticated request runs this: one round trip (session, user and role joined), not three. */
    async findSessionByTokenHash(tokenHash: string): Promise<SessionWithUser | null> {
      const rows = await db.$queryRaw<SessionJoinRow[]>`
        SELECT s.id, s.created_at, s.expires_at, s.last_seen_at,
               u.id AS user_id, u.username, u.display_name, u.disabled_at, r.name AS role_name, r.permissions
          FROM sessions s JOIN users u ON u.id = s.user_id JOIN roles r ON r.name = u.role_name
         WHERE s.token_hash = ${tokenHash}`;
      const row = rows[0];
      if (!row) return null;
      return {
        id: row.id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        lastSeenAt: row.last_seen_at,
        user: {
          id: row.user_id,
          username: row.username,
          displayName: row.display_name,
          disabledAt: row.disabled_at,
          role: { name: row.role_name, permissions: row.permissions },
        },
      };
    },

    /** What decides whether a session still stands, read fresh (no cache): for long-lived requests. */
    async sessionStanding(id: string): Promise<{ createdAt: Date; expiresAt: Date; lastSeenAt: Date; disabledAt: Date | null } | null> {
      const rows = await db.$queryRaw<{ created_at: Date; expires_at: Date; last_seen_at: Date; disabled_at: Date | null }[]>`
        SELECT s.created_at, s.expires_at, s.last_seen_at, u.disabled_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ${id}::uuid`;
      const row = rows[0];
      return row ? { createdAt: row.created_at, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at, disabledAt: row.disabled_at } : null;
    },

    /** The same for an API token. */
    tokenStanding: (id: string) =>
      db.apiToken.findUnique({ where: { id }, select: { revokedAt: true, expiresAt: true, user: { select: { disabledAt: true } } } }),

    touchSession: (id: string, lastSeenAt: Date, lastSeenIp: string | null) => db.session.updateMany({ where: { id }, data: { lastSeenAt, lastSeenIp } }),

    deleteSession: (id: string) => db.session.deleteMany({ where: { id } }),

    deleteExpiredSessions: (now: Date, idleSince: Date, createdBefore: Date) =>
      db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: idleSince } }, { createdAt: { lt: createdBefore } }] } }),

    recordLogin: (userId: string, at: Date) => db.user.update({ where: { id: userId }, data: { lastLoginAt: at } }),

    findTokenByHash: (tokenHash: string) => db.apiToken.findUnique({ where: { tokenHash }, include: { user: { include: userWithRole } } }),

    touchToken: (id: string, lastUsedAt: Date, lastUsedIp: string | null) => db.apiToken.updateMany({ where: { id }, data: { lastUsedAt, lastUsedIp } }),

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

    /**
     * Counts one attempt unless the key is blocked (then null, and nothing changes). The
     * attempt that reaches the limit blocks the key at once, before its password is checked,
     * so attempts racing it are refused; one statement, so no two attempts see the same count.
     */
    async countAttempt(key: string, now: Date, rule: ThrottleRule): Promise<{ failures: number } | null> {
      const openedAfter = new Date(now.getTime() - rule.windowMs);
      const firstBlock = blockDuration(rule, 1);
      const failures = Prisma.sql`(CASE WHEN t.window_start < ${openedAfter} THEN 1 ELSE t.failures + 1 END)`;
      const rows = await db.$queryRaw<{ failures: number }[]>`
        INSERT INTO login_throttles AS t (key, failures, window_start, blocked_until)
        VALUES (${key}, 1, ${now}, ${firstBlock > 0 ? new Date(now.getTime() + firstBlock) : null})
        ON CONFLICT (key) DO UPDATE SET
          failures = ${failures},
          window_start = CASE WHEN t.window_start < ${openedAfter} THEN EXCLUDED.window_start ELSE t.window_start END,
          blocked_until = CASE WHEN ${failures} >= ${rule.maxFailures}::int
            THEN EXCLUDED.window_start + make_interval(secs => LEAST(${rule.baseBlockMs}::float8 * power(2, LEAST(${failures} - ${rule.maxFailures}::int, 30)), ${rule.maxBlockMs}::float8) / 1000)
          END
         WHERE t.blocked_until IS NULL OR t.blocked_until <= EXCLUDED.window_start
        RETURNING t.failures`;
      return rows[0] ?? null;
    },

    /** Takes back one attempt that succeeded; lifts the key's block when the rest stay under `maxFailures`. */
    uncountAttempt: (key: string, maxFailures: number | null) =>
      db.$executeRaw`
        UPDATE login_throttles SET
          failures = GREATEST(failures - 1, 0),
          blocked_until = CASE WHEN ${maxFailures}::int IS NOT NULL AND failures - 1 < ${maxFailures}::int THEN NULL ELSE blocked_until END
         WHERE key = ${key}`,

    clearThrottle: (key: string) => db.loginThrottle.deleteMany({ where: { key } }),

    /** Rows whose counting window closed before `windowOpenedBefore` and that block nothing now. */
    async deleteLapsedThrottles(now: Date, windowOpenedBefore: Date): Promise<number> {
      const { count } = await db.loginThrottle.deleteMany({
        where: { windowStart: { lt: windowOpenedBefore }, OR: [{ blockedUntil: null }, { blockedUntil: { lte: now } }] },
      });
      return count;
    },
  };
}

export const createAuthRepo = (db: DbClient) => transactional(db, authRepo);
export type AuthRepo = ReturnType<typeof createAuthRepo>;
