import type { AccountReportRow, AccountStatus, ActivityKind, HostKeyReportRow, ReportBucket, VaultAction } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { containsPattern } from '../../lib/contains-pattern.js';
import { keyParts, type KeyPart } from '../../lib/keyset.js';
import { accountAllowedSql, targetVisibleSql, type TreeScope } from '../access/index.js';

/** Where in the tree, which target, which text: the filters every report and export takes. */
export interface TreeFilter {
  folderId?: string;
  recursive?: boolean;
  targetId?: string;
  q?: string;
}

export interface ActivityFilter extends TreeFilter {
  since?: string;
  until?: string;
  userId?: string;
  kind?: ActivityKind;
}

export interface AccountReportFilter extends TreeFilter {
  /** Checked out: only what this user holds. */
  userId?: string;
  /** Export: only accounts of this status. */
  status?: AccountStatus;
}

/** An Activity row before presenting: `seq` is the audit event's. */
export type ActivityDbRow = {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string;
  kind: ActivityKind;
  action: string;
  right: VaultAction;
  outcome: string;
  clientAddress: string | null;
  accountId: string;
  username: string;
  targetId: string | null;
  targetName: string | null;
  accountDeleted: boolean;
};

export type AccountReportKind = 'not-in-sync' | 'rotation-overdue' | 'noncompliant' | 'checked-out' | 'all';

/** A timestamptz as JavaScript's toISOString() writes it. */
const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The tree filters over rows with a folder column and a target column. */
function treeWhere(filter: TreeFilter, columns: { folder: Prisma.Sql; target: Prisma.Sql; texts: Prisma.Sql[] }): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filter.folderId) {
    where.push(
      filter.recursive === false
        ? Prisma.sql`${columns.folder} = ${filter.folderId}::uuid`
        : Prisma.sql`${columns.folder} IN (SELECT c.descendant_id FROM folder_closure c WHERE c.ancestor_id = ${filter.folderId}::uuid)`,
    );
  }
  if (filter.targetId) where.push(Prisma.sql`${columns.target} = ${filter.targetId}::uuid`);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    where.push(
      Prisma.sql`(${Prisma.join(
        columns.texts.map((t) => Prisma.sql`${t} ILIKE ${pattern}`),
        ' OR ',
      )})`,
    );
  }
  return where;
}

const and = (where: Prisma.Sql[]) => (where.length ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`);

/**
 * The audit actions Activity shows, what each is (kind) and the right it needs. A reset asked
 * for with "change on target" off only replaces the vault's copy: a change, needing `update`.
 */
const ACTIVITY_ACTIONS = [
  'credential.checkout',
  'credential.export',
  'credential.checkin',
  'credential.check.requested',
  'credential.check',
  'credential.reset.requested',
  'credential.reset',
  // A person saying which secret the target holds after a reset whose outcome was unknown.
  'credential.reset.confirmed',
  'credential.create',
];
const VAULT_ONLY = Prisma.sql`(e.details->>'changeOnTarget') = 'false'`;
const KIND_SQL = Prisma.sql`CASE
  WHEN e.action IN ('credential.checkout', 'credential.export') THEN 'checkout'
  WHEN e.action = 'credential.checkin' THEN 'checkin'
  WHEN e.action IN ('credential.check.requested', 'credential.check') THEN 'check'
  WHEN e.action = 'credential.reset.confirmed' THEN 'reset'
  WHEN e.action IN ('credential.reset.requested', 'credential.reset') AND NOT ${VAULT_ONLY} THEN 'reset'
  ELSE 'change' END`;
const KINDS_OF: Record<ActivityKind, Prisma.Sql> = {
  checkout: Prisma.sql`e.action IN ('credential.checkout', 'credential.export')`,
  checkin: Prisma.sql`e.action = 'credential.checkin'`,
  check: Prisma.sql`e.action IN ('credential.check.requested', 'credential.check')`,
  reset: Prisma.sql`((e.action IN ('credential.reset.requested', 'credential.reset') AND NOT ${VAULT_ONLY}) OR e.action = 'credential.reset.confirmed')`,
  change: Prisma.sql`(e.action = 'credential.create' OR (e.action IN ('credential.reset.requested', 'credential.reset') AND ${VAULT_ONLY}))`,
};
const RIGHT_OF_KIND: Record<ActivityKind, VaultAction> = { checkout: 'checkout', checkin: 'checkout', check: 'check', reset: 'reset', change: 'update' };

/** The account an event is about: its object, or the `accountId` its details name (events on a credential). */
const EVENT_ACCOUNT = Prisma.sql`(CASE WHEN e.object_type = 'account' THEN e.object_id ELSE e.details->>'accountId' END)`;
const UUID_TEXT = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Activity's rows matching the filters, as a FROM item `x` (seq, at …, account columns), visible to `scope`. */
function activitySource(scope: TreeScope, filter: ActivityFilter): Prisma.Sql {
  const events: Prisma.Sql[] = [Prisma.sql`e.action = ANY (${ACTIVITY_ACTIONS}::text[])`];
  if (filter.kind) events.push(KINDS_OF[filter.kind]);
  if (filter.since) events.push(Prisma.sql`e.at >= ${filter.since}::timestamptz`);
  if (filter.until) events.push(Prisma.sql`e.at <= ${filter.until}::timestamptz`);
  if (filter.userId) events.push(Prisma.sql`e.actor_id = ${filter.userId}::uuid`);
  const treeFilters = treeWhere(filter, {
    folder: Prisma.sql`a.folder_id`,
    target: Prisma.sql`a.target_id`,
    texts: [Prisma.sql`a.username`, Prisma.sql`a.target_name`],
  });
  const accountId = Prisma.sql`(CASE WHEN ${EVENT_ACCOUNT} ~ ${UUID_TEXT} THEN ${EVENT_ACCOUNT}::uuid END)`;
  // Whoever sees the whole tree (administrators, auditors) also sees the events of deleted
  // accounts, named as their deletion recorded them; for anyone else such an event has no place
  // in the tree to be seen from, and a tree filter cannot place it either: it is left out.
  const withDeleted = scope.kind === 'all' && treeFilters.length === 0;
  const deleted = Prisma.sql`LEFT JOIN LATERAL (SELECT d.details->>'username' AS username, d.details->>'targetName' AS target_name
      FROM audit_events d WHERE a.id IS NULL AND d.object_type = 'account' AND d.object_id = ${EVENT_ACCOUNT} AND d.action = 'account.delete' LIMIT 1) gone ON TRUE`;
  return Prisma.sql`(SELECT e.seq, e.at, e.actor_id, e.actor_name, e.action, e.outcome, e.ip, ${KIND_SQL} AS kind,
      ${accountId} AS account_id, COALESCE(a.username, ${withDeleted ? Prisma.sql`gone.username` : Prisma.sql`NULL`}, '') AS username,
      a.target_id, COALESCE(a.target_name, ${withDeleted ? Prisma.sql`gone.target_name` : Prisma.sql`NULL`}) AS target_name, a.id IS NULL AS deleted
    FROM audit_events e
    ${withDeleted ? Prisma.sql`LEFT JOIN` : Prisma.sql`JOIN`} accounts a ON a.id = ${accountId}
    ${withDeleted ? deleted : Prisma.empty}
   WHERE ${and(events)} AND ${withDeleted ? Prisma.sql`${accountId} IS NOT NULL` : and([accountAllowedSql(scope, 'view', 'a'), ...treeFilters])}) x`;
}

/** The effective policy of `a`: its own, else the default one. */
const POLICY_JOIN = Prisma.sql`LEFT JOIN LATERAL (
    SELECT pp.name, pp.rotation_interval_days FROM policies pp
     WHERE pp.id = a.policy_id OR (a.policy_id IS NULL AND pp.is_default) LIMIT 1) p ON TRUE`;
const DUE = Prisma.sql`(COALESCE(a.last_changed_at, a.created_at) + make_interval(days => p.rotation_interval_days))`;
const OPEN_CHECKOUT = Prisma.sql`(a.checked_out_by_id IS NOT NULL AND (a.checkout_expires_at IS NULL OR a.checkout_expires_at > now()))`;

interface AccountSpec {
  where: Prisma.Sql;
  order: Prisma.Sql[];
  casts: string[];
  parts: KeyPart[];
  keyOf: (row: AccountReportRow) => string[];
  /** The chart's groups. */
  bucket: Prisma.Sql;
}

const ACCOUNT_SPECS: Record<AccountReportKind, AccountSpec> = {
  'not-in-sync': {
    where: Prisma.sql`a.status = 'NotInSync'`,
    order: [Prisma.sql`a.status_since`, Prisma.sql`a.id`],
    casts: ['timestamptz', 'uuid'],
    parts: [keyParts.timestamp, keyParts.uuid],
    keyOf: (r) => [r.statusSince, r.accountId],
    bucket: Prisma.sql`COALESCE(a.status_reason, 'UNKNOWN')`,
  },
  'rotation-overdue': {
    where: Prisma.sql`p.rotation_interval_days IS NOT NULL AND ${DUE} < now()`,
    order: [DUE, Prisma.sql`a.id`],
    casts: ['timestamptz', 'uuid'],
    parts: [keyParts.timestamp, keyParts.uuid],
    keyOf: (r) => [r.rotationDueAt!, r.accountId],
    bucket: Prisma.sql`CASE WHEN now() - ${DUE} <= interval '7 days' THEN 'up to 7 days'
      WHEN now() - ${DUE} <= interval '30 days' THEN '8 to 30 days'
      WHEN now() - ${DUE} <= interval '90 days' THEN '31 to 90 days' ELSE 'over 90 days' END`,
  },
  noncompliant: {
    where: Prisma.sql`a.compliance = 'Noncompliant'`,
    order: [Prisma.sql`a.target_name`, Prisma.sql`a.username`, Prisma.sql`a.id`],
    casts: ['text', 'text', 'uuid'],
    parts: [keyParts.text, keyParts.text, keyParts.uuid],
    keyOf: (r) => [r.targetName, r.username, r.accountId],
    bucket: Prisma.sql`COALESCE(p.name, 'no policy')`,
  },
  'checked-out': {
    where: OPEN_CHECKOUT,
    order: [Prisma.sql`a.checked_out_at`, Prisma.sql`a.id`],
    casts: ['timestamptz', 'uuid'],
    parts: [keyParts.timestamp, keyParts.uuid],
    keyOf: (r) => [r.checkedOutAt!, r.accountId],
    bucket: Prisma.sql`COALESCE(u.username, '?')`,
  },
  all: {
    where: Prisma.sql`TRUE`,
    order: [Prisma.sql`a.target_name`, Prisma.sql`a.username`, Prisma.sql`a.id`],
    casts: ['text', 'text', 'uuid'],
    parts: [keyParts.text, keyParts.text, keyParts.uuid],
    keyOf: (r) => [r.targetName, r.username, r.accountId],
    bucket: Prisma.sql`a.status::text`,
  },
};

export const accountReportKeyParts = (kind: AccountReportKind) => ACCOUNT_SPECS[kind].parts;
export const accountReportKeyOf = (kind: AccountReportKind, row: AccountReportRow) => ACCOUNT_SPECS[kind].keyOf(row);

const ACCOUNT_FROM = Prisma.sql`FROM accounts a JOIN targets t ON t.id = a.target_id ${POLICY_JOIN} LEFT JOIN users u ON u.id = a.checked_out_by_id`;

function accountWhere(scope: TreeScope, kind: AccountReportKind, filter: AccountReportFilter): Prisma.Sql {
  const where = [
    ACCOUNT_SPECS[kind].where,
    accountAllowedSql(scope, 'view', 'a'),
    ...treeWhere(filter, { folder: Prisma.sql`a.folder_id`, target: Prisma.sql`a.target_id`, texts: [Prisma.sql`a.username`, Prisma.sql`a.target_name`] }),
  ];
  if (filter.userId) where.push(Prisma.sql`a.checked_out_by_id = ${filter.userId}::uuid`);
  if (filter.status) where.push(Prisma.sql`a.status = ${filter.status}::account_status`);
  return and(where);
}

/** `(e1, e2, …) > (k1, k2, …)`: the rows after the cursor's, in the order's direction. */
function after(order: Prisma.Sql[], casts: string[], key: string[] | undefined, desc = false): Prisma.Sql {
  if (!key) return Prisma.sql`TRUE`;
  const values = key.map((v, i) => Prisma.sql`${v}::${Prisma.raw(casts[i]!)}`);
  return Prisma.sql`(${Prisma.join(order)}) ${Prisma.raw(desc ? '<' : '>')} (${Prisma.join(values)})`;
}

function reportsRepo(db: DbClient) {
  return {
    /** One page of Activity, newest first, after the event `afterSeq`. */
    activity: async (scope: TreeScope, filter: ActivityFilter, afterSeq: string | undefined, limit: number): Promise<ActivityDbRow[]> => {
      const rows = await db.$queryRaw<Omit<ActivityDbRow, 'right'>[]>`
        SELECT x.seq::text AS id, ${iso(Prisma.sql`x.at`)} AS at, x.actor_id::text AS "actorId", x.actor_name AS "actorName", x.kind, x.action,
               x.outcome, x.ip AS "clientAddress", x.account_id::text AS "accountId", x.username, x.target_id::text AS "targetId", x.target_name AS "targetName",
               x.deleted AS "accountDeleted"
          FROM ${activitySource(scope, filter)}
         WHERE ${afterSeq ? Prisma.sql`x.seq < ${afterSeq}::bigint` : Prisma.sql`TRUE`}
         ORDER BY x.seq DESC LIMIT ${limit}`;
      return rows.map((r) => ({ ...r, right: RIGHT_OF_KIND[r.kind] }));
    },

    /** Activity's events per day (UTC), oldest day first. */
    activitySummary: (scope: TreeScope, filter: ActivityFilter) =>
      db.$queryRaw<ReportBucket[]>`
        SELECT to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS key, count(*)::int AS count
          FROM ${activitySource(scope, filter)} GROUP BY 1 ORDER BY 1`,

    /** One page of an account report in its order, after the row whose key is `key`. */
    accounts: (scope: TreeScope, kind: AccountReportKind, filter: AccountReportFilter, key: string[] | undefined, limit: number) => {
      const spec = ACCOUNT_SPECS[kind];
      return db.$queryRaw<AccountReportRow[]>`
        SELECT a.id::text AS "accountId", a.username, a.target_id::text AS "targetId", a.target_name AS "targetName", t.address AS "targetAddress",
               a.folder_id::text AS "folderId", a.status::text AS status, a.status_reason AS "statusReason", ${iso(Prisma.sql`a.status_since`)} AS "statusSince",
               a.compliance::text AS compliance, ${iso(Prisma.sql`a.last_checked_at`)} AS "lastCheckedAt", ${iso(Prisma.sql`a.last_changed_at`)} AS "lastChangedAt",
               COALESCE(p.name, '') AS "policyName", p.rotation_interval_days AS "rotationIntervalDays", ${iso(DUE)} AS "rotationDueAt",
               a.checked_out_by_id::text AS "checkedOutById", CASE WHEN ${OPEN_CHECKOUT} THEN u.username END AS "checkedOutByName",
               ${iso(Prisma.sql`a.checked_out_at`)} AS "checkedOutAt", ${iso(Prisma.sql`a.checkout_expires_at`)} AS "checkoutExpiresAt"
          ${ACCOUNT_FROM}
         WHERE ${accountWhere(scope, kind, filter)} AND ${after(spec.order, spec.casts, key)}
         ORDER BY ${Prisma.join(spec.order)} LIMIT ${limit}`;
    },

    accountSummary: (scope: TreeScope, kind: AccountReportKind, filter: AccountReportFilter) =>
      db.$queryRaw<ReportBucket[]>`
        SELECT ${ACCOUNT_SPECS[kind].bucket} AS key, count(*)::int AS count
          ${ACCOUNT_FROM} WHERE ${accountWhere(scope, kind, filter)} GROUP BY 1 ORDER BY 2 DESC, 1`,

    /** Host keys waiting for approval on the targets `scope` sees, oldest first. */
    hostKeysPending: (scope: TreeScope, filter: TreeFilter, key: string[] | undefined, limit: number) =>
      db.$queryRaw<HostKeyReportRow[]>`
        SELECT k.id::text AS "hostKeyId", t.id::text AS "targetId", t.name AS "targetName", t.address AS "targetAddress", t.folder_id::text AS "folderId",
               k.algorithm, k.fingerprint, ${iso(Prisma.sql`k.first_seen_at`)} AS "firstSeenAt", ${iso(Prisma.sql`k.last_seen_at`)} AS "lastSeenAt"
          FROM target_host_keys k JOIN targets t ON t.id = k.target_id
         WHERE ${hostKeyWhere(scope, filter)} AND ${after([Prisma.sql`k.first_seen_at`, Prisma.sql`k.id`], ['timestamptz', 'uuid'], key)}
         ORDER BY k.first_seen_at, k.id LIMIT ${limit}`,

    hostKeysSummary: (scope: TreeScope, filter: TreeFilter) =>
      db.$queryRaw<ReportBucket[]>`
        SELECT t.name AS key, count(*)::int AS count FROM target_host_keys k JOIN targets t ON t.id = k.target_id
         WHERE ${hostKeyWhere(scope, filter)} GROUP BY 1 ORDER BY 2 DESC, 1`,
  };
}

function hostKeyWhere(scope: TreeScope, filter: TreeFilter): Prisma.Sql {
  return and([
    Prisma.sql`k.status = 'PENDING'`,
    targetVisibleSql(scope, 't'),
    ...treeWhere(filter, { folder: Prisma.sql`t.folder_id`, target: Prisma.sql`t.id`, texts: [Prisma.sql`t.name`] }),
  ]);
}

export const createReportsRepo = (db: DbClient) => transactional(db, reportsRepo);
export type ReportsRepo = ReturnType<typeof createReportsRepo>;
