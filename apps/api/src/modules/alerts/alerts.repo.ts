import type { AlertRule, AlertState } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import type { CreatedKey } from '../../lib/newest-first.js';
import { accountAllowedSql, targetAllowedSql, type TreeScope } from '../access/index.js';

/** What a rule found holding on one object now. */
export interface Finding {
  rule: AlertRule;
  accountId: string | null;
  targetId: string;
  objectName: string;
  details: Record<string, unknown>;
}

/** An alert with the names the console and the webhook payload show beside it. */
export interface AlertRow {
  id: string;
  rule: AlertRule;
  state: AlertState;
  accountId: string | null;
  targetId: string;
  objectName: string;
  summary: string;
  details: Record<string, unknown>;
  openedAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  read: boolean;
}

/** An advisory-lock key of the alert sweep's own ("PMalert"), so two workers never sweep at once. */
const SWEEP_LOCK = 0x504d616c657274;

/** Which objects an evaluation covers: everything (the sweep), or some accounts and their targets. */
export type EvaluationScope = { kind: 'all' } | { kind: 'accounts'; accountIds: string[] };

const inAccounts = (scope: EvaluationScope, column: Prisma.Sql) =>
  scope.kind === 'all' ? Prisma.sql`TRUE` : Prisma.sql`${column} = ANY (${scope.accountIds}::uuid[])`;
const inTargetsOf = (scope: EvaluationScope, column: Prisma.Sql) =>
  scope.kind === 'all' ? Prisma.sql`TRUE` : Prisma.sql`${column} IN (SELECT target_id FROM accounts WHERE id = ANY (${scope.accountIds}::uuid[]))`;

const ALERT_SELECT = (userId: string | null) => Prisma.sql`
  SELECT al.id::text AS id, al.rule::text AS rule, al.state::text AS state, al.account_id::text AS "accountId", al.target_id::text AS "targetId",
         CASE WHEN a.id IS NULL THEN t.name ELSE a.username || '@' || t.name END AS "objectName",
         al.summary, al.details, al.opened_at AS "openedAt", al.last_seen_at AS "lastSeenAt", al.resolved_at AS "resolvedAt",
         ${userId === null ? Prisma.sql`FALSE` : Prisma.sql`EXISTS (SELECT 1 FROM alert_reads r WHERE r.alert_id = al.id AND r.user_id = ${userId}::uuid)`} AS read
    FROM alerts al
    JOIN targets t ON t.id = al.target_id
    LEFT JOIN accounts a ON a.id = al.account_id`;

/** The alerts the scope may see: view on the account, or on the target for an alert about a target. */
export function alertVisibleSql(scope: TreeScope): Prisma.Sql {
  return Prisma.sql`((al.account_id IS NOT NULL AND ${accountAllowedSql(scope, 'view', 'a')})
    OR (al.account_id IS NULL AND ${targetAllowedSql(scope, 'view', 't')}))`;
}

export interface ListFilter {
  scope: TreeScope;
  userId: string;
  state?: AlertState;
  rule?: AlertRule;
  accountId?: string;
  targetId?: string;
  unread?: boolean;
  after?: CreatedKey;
  limit: number;
}

function alertsRepo(db: DbClient) {
  const findings = {
    /**
     * Accounts with a credential their policy rotates that has been CURRENT longer than the
     * interval plus the grace period — whether the rotation failed, was never attempted, or the
     * scheduler is off. With the last reset, so a reader sees whether anything was tried.
     */
    rotationOverdue: (scope: EvaluationScope, now: Date, graceMs: number) =>
      db.$queryRaw<{ accountId: string; targetId: string; objectName: string; since: Date; intervalDays: number; type: string; lastReset: unknown }[]>`
        SELECT DISTINCT ON (a.id) a.id::text AS "accountId", a.target_id::text AS "targetId", a.username || '@' || a.target_name AS "objectName",
               v.state_changed_at AS since, p.rotation_interval_days AS "intervalDays", c.type::text AS type,
               (SELECT json_build_object('jobId', j.id, 'state', j.state, 'errorCode', j.error_code, 'at', j.created_at)
                  FROM jobs j WHERE j.account_id = a.id AND j.kind = 'RESET' ORDER BY j.created_at DESC LIMIT 1) AS "lastReset"
          FROM accounts a
          JOIN policies p ON p.id = coalesce(a.policy_id, (SELECT id FROM policies WHERE is_default LIMIT 1))
          JOIN credentials c ON c.account_id = a.id AND c.type IN ('PASSWORD', 'SSH_KEY')
          JOIN credential_versions v ON v.credential_id = c.id AND v.state = 'CURRENT'
         WHERE p.rotation_interval_days IS NOT NULL
           AND v.state_changed_at < ${now}::timestamptz - p.rotation_interval_days * interval '1 day' - ${graceMs} * interval '1 millisecond'
           AND ${inAccounts(scope, Prisma.sql`a.id`)}
         ORDER BY a.id, v.state_changed_at`,

    notInSync: (scope: EvaluationScope) =>
      db.$queryRaw<{ accountId: string; targetId: string; objectName: string; reason: string | null; checkedAt: Date | null }[]>`
        SELECT a.id::text AS "accountId", a.target_id::text AS "targetId", a.username || '@' || a.target_name AS "objectName",
               a.status_reason AS reason, a.last_checked_at AS "checkedAt"
          FROM accounts a
         WHERE a.status = 'NotInSync' AND ${inAccounts(scope, Prisma.sql`a.id`)}`,

    /** Accounts whose latest change (any job but a check) ended unverified: its outcome on the target is not known. */
    jobUnverified: (scope: EvaluationScope) =>
      db.$queryRaw<{ accountId: string; targetId: string; objectName: string; jobId: string; errorCode: string | null }[]>`
        SELECT a.id::text AS "accountId", a.target_id::text AS "targetId", a.username || '@' || a.target_name AS "objectName",
               j.id::text AS "jobId", j.error_code AS "errorCode"
          FROM accounts a
          CROSS JOIN LATERAL (SELECT id, state, error_code FROM jobs WHERE account_id = a.id AND kind <> 'CHECK' ORDER BY created_at DESC, id DESC LIMIT 1) j
         WHERE j.state = 'unverified' AND ${inAccounts(scope, Prisma.sql`a.id`)}`,

    checkoutOverdue: (scope: EvaluationScope, now: Date) =>
      db.$queryRaw<{ accountId: string; targetId: string; objectName: string; dueAt: Date; holder: string | null }[]>`
        SELECT a.id::text AS "accountId", a.target_id::text AS "targetId", a.username || '@' || a.target_name AS "objectName",
               a.checkout_expires_at AS "dueAt", u.username AS holder
          FROM accounts a LEFT JOIN users u ON u.id = a.checked_out_by_id
         WHERE a.checked_out_by_id IS NOT NULL AND a.checkout_expires_at < ${now}
           AND ${inAccounts(scope, Prisma.sql`a.id`)}`,

    /**
     * Targets whose host key is not the approved one: an account's last contact was refused for a
     * host key mismatch, or the target was last seen (by a scan) offering a key nobody approved,
     * after the latest approval. The host's key changed — or someone sits in between.
     */
    hostKeyChanged: (scope: EvaluationScope) =>
      db.$queryRaw<{ targetId: string; objectName: string; fingerprint: string | null; algorithm: string | null; accountsRefused: number }[]>`
        SELECT t.id::text AS "targetId", t.name AS "objectName", k.fingerprint, k.algorithm, m.refused AS "accountsRefused"
          FROM targets t
          CROSS JOIN LATERAL (SELECT count(*)::int AS refused FROM accounts
                               WHERE target_id = t.id AND status = 'NotInSync' AND status_reason = 'HOST_KEY_MISMATCH') m
          CROSS JOIN LATERAL (SELECT max(approved_at) AS at FROM target_host_keys
                               WHERE target_id = t.id AND approved_at IS NOT NULL AND status <> 'REVOKED') trusted
          LEFT JOIN LATERAL (SELECT fingerprint, algorithm FROM target_host_keys
                              WHERE target_id = t.id AND status = 'PENDING' AND approved_at IS NULL AND last_seen_at > trusted.at
                              ORDER BY last_seen_at DESC LIMIT 1) k ON TRUE
         WHERE (m.refused > 0 OR k.fingerprint IS NOT NULL) AND ${inTargetsOf(scope, Prisma.sql`t.id`)}`,
  };

  return {
    findings,

    /** Of these accounts, those with an open alert on them or on their target. */
    withOpenAlerts: async (accountIds: string[]): Promise<string[]> => {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT a.id::text AS id FROM accounts a
         WHERE a.id = ANY(${accountIds}::uuid[])
           AND EXISTS (SELECT 1 FROM alerts al WHERE al.state = 'open' AND (al.account_id = a.id OR (al.account_id IS NULL AND al.target_id = a.target_id)))`;
      return rows.map((r) => r.id);
    },

    /** Inside a transaction: true when no other process is sweeping now (held until commit). */
    tryLeadSweep: async () => {
      const [row] = await db.$queryRaw<{ led: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}::bigint) AS led`;
      return row?.led === true;
    },

    /**
     * Opens an alert for each finding that has none open (the unique index on open alerts makes
     * a racing evaluation's insert a no-op), refreshes the ones already open, and returns the
     * ids of those it opened.
     */
    open: async (found: (Finding & { summary: string })[], now: Date): Promise<string[]> => {
      if (found.length === 0) return [];
      const rows = await db.$queryRaw<{ id: string; inserted: boolean }[]>`
        INSERT INTO alerts (id, rule, account_id, target_id, object_id, summary, details, opened_at, last_seen_at)
        SELECT gen_random_uuid(), f.rule::alert_rule, f.account_id, f.target_id, coalesce(f.account_id, f.target_id), f.summary, f.details, ${now}, ${now}
          FROM jsonb_to_recordset(${JSON.stringify(
            found.map((f) => ({ rule: f.rule, account_id: f.accountId, target_id: f.targetId, summary: f.summary, details: f.details })),
          )}::jsonb) AS f(rule text, account_id uuid, target_id uuid, summary text, details jsonb)
        ON CONFLICT (rule, object_id) WHERE state = 'open'
        DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, details = EXCLUDED.details, summary = EXCLUDED.summary
        RETURNING id::text AS id, (xmax = 0) AS inserted`;
      return rows.filter((r) => r.inserted).map((r) => r.id);
    },

    /** Resolves the open alerts of `rule` within the scope whose object is not among `holding`; returns their ids. */
    resolveOthers: async (rule: AlertRule, scope: EvaluationScope, holding: string[], now: Date): Promise<string[]> => {
      const within = rule === 'host_key_changed' ? inTargetsOf(scope, Prisma.sql`object_id`) : inAccounts(scope, Prisma.sql`object_id`);
      const rows = await db.$queryRaw<{ id: string }[]>`
        UPDATE alerts SET state = 'resolved', resolved_at = ${now}
         WHERE state = 'open' AND rule = ${rule}::alert_rule AND ${within} AND NOT (object_id = ANY (${holding}::uuid[]))
        RETURNING id::text AS id`;
      return rows.map((r) => r.id);
    },

    byIds: (ids: string[]) => db.$queryRaw<AlertRow[]>`${ALERT_SELECT(null)} WHERE al.id = ANY (${ids}::uuid[])`,

    get: async (id: string, scope: TreeScope, userId: string): Promise<AlertRow | undefined> => {
      const [row] = await db.$queryRaw<AlertRow[]>`${ALERT_SELECT(userId)} WHERE al.id = ${id}::uuid AND ${alertVisibleSql(scope)}`;
      return row;
    },

    page: (f: ListFilter) => {
      const where = [alertVisibleSql(f.scope)];
      if (f.state) where.push(Prisma.sql`al.state = ${f.state}::alert_state`);
      if (f.rule) where.push(Prisma.sql`al.rule = ${f.rule}::alert_rule`);
      if (f.accountId) where.push(Prisma.sql`al.account_id = ${f.accountId}::uuid`);
      if (f.targetId) where.push(Prisma.sql`al.target_id = ${f.targetId}::uuid`);
      if (f.unread) where.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM alert_reads r WHERE r.alert_id = al.id AND r.user_id = ${f.userId}::uuid)`);
      if (f.after) where.push(Prisma.sql`(al.opened_at, al.id) < (${f.after.createdAt}, ${f.after.id}::uuid)`);
      return db.$queryRaw<AlertRow[]>`${ALERT_SELECT(f.userId)} WHERE ${Prisma.join(where, ' AND ')}
        ORDER BY al.opened_at DESC, al.id DESC LIMIT ${f.limit + 1}`;
    },

    unreadCount: async (scope: TreeScope, userId: string) => {
      const [row] = await db.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM alerts al
          JOIN targets t ON t.id = al.target_id LEFT JOIN accounts a ON a.id = al.account_id
         WHERE al.state = 'open' AND ${alertVisibleSql(scope)}
           AND NOT EXISTS (SELECT 1 FROM alert_reads r WHERE r.alert_id = al.id AND r.user_id = ${userId}::uuid)`;
      return row?.count ?? 0;
    },

    markRead: (alertId: string, userId: string) =>
      db.$executeRaw`INSERT INTO alert_reads (alert_id, user_id) VALUES (${alertId}::uuid, ${userId}::uuid) ON CONFLICT DO NOTHING`,

    markAllRead: (scope: TreeScope, userId: string) =>
      db.$executeRaw`
        INSERT INTO alert_reads (alert_id, user_id)
        SELECT al.id, ${userId}::uuid FROM alerts al
          JOIN targets t ON t.id = al.target_id LEFT JOIN accounts a ON a.id = al.account_id
         WHERE ${alertVisibleSql(scope)}
        ON CONFLICT DO NOTHING`,
  };
}

export const createAlertsRepo = (db: DbClient) => transactional(db, alertsRepo);
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
