import type { AccountSort, AccountStatus, PolicyCompliance } from '@passman/contracts';
import { ACCOUNT_STATUSES } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { mapConstraintError } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { containsPattern } from '../../lib/contains-pattern.js';
import { keyParts, type KeyPart } from '../../lib/keyset.js';
import { ACCESS_EPOCH_SQL, accountAllowedSql, rightsOfRows, treeRightsSql, type AtAccessEpoch, type TreeScope } from '../access/index.js';

/**
 * One account as lists and reads see it: its row plus its target's address and its policy's
 * name. Times are ISO 8601 strings in UTC (as the API shows them): PostgreSQL renders the
 * rows as one JSON document, which costs far less to decode than 50 rows of typed columns.
 */
export interface AccountRow {
  id: string;
  targetId: string;
  targetName: string;
  targetAddress: string;
  username: string;
  description: string;
  status: AccountStatus;
  statusReason: string | null;
  lastCheckedAt: string | null;
  lastChangedAt: string | null;
  policyId: string | null;
  policyName: string | null;
  compliance: PolicyCompliance | null;
  isManagingAccount: boolean;
  checkedOutById: string | null;
  checkedOutAt: string | null;
  checkoutExpiresAt: string | null;
  folderId: string;
  /** What the reader's grants (or role) allow on it, before their role's permissions narrow it. */
  treeRights: string[];
  createdAt: string;
  updatedAt: string;
}

export interface AccountFilter {
  targetId?: string;
  folderId?: string;
  /** With folderId: also the folders below it. */
  recursive?: boolean;
  status?: AccountStatus;
  /** Case-insensitive substring of the username or the target name. */
  q?: string;
  compliance?: PolicyCompliance;
  checkedOut?: boolean;
  rotationOverdue?: boolean;
}

/**
 * Checked out now, over `accounts <alias>` (a checkout past its end holds nothing any more): the
 * dashboard's count and the list's filter are this one predicate.
 */
export const checkedOutSql = (alias: string) => {
  const a = Prisma.raw(alias);
  return Prisma.sql`(${a}.checked_out_by_id IS NOT NULL AND (${a}.checkout_expires_at IS NULL OR ${a}.checkout_expires_at > now()))`;
};

/**
 * Rotation overdue, over `accounts <alias>`: a password or SSH key CURRENT for longer than the
 * rotation interval of the account's policy (else the default policy's), the rule the scheduler
 * rotates by. The dashboard's count and the list's filter are this one predicate.
 */
export const rotationOverdueSql = (alias: string) => {
  const a = Prisma.raw(alias);
  return Prisma.sql`EXISTS (SELECT 1 FROM credentials oc
    JOIN credential_versions ov ON ov.credential_id = oc.id AND ov.state = 'CURRENT'
    JOIN policies op ON op.id = coalesce(${a}.policy_id, (SELECT dp.id FROM policies dp WHERE dp.is_default LIMIT 1))
   WHERE oc.account_id = ${a}.id AND oc.type IN ('PASSWORD', 'SSH_KEY') AND op.rotation_interval_days IS NOT NULL
     AND ov.state_changed_at < now() - op.rotation_interval_days * interval '1 day')`;
};

/** A timestamptz as JavaScript's toISOString() writes it. */
const iso = (column: Prisma.Sql) => Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of an AccountRow over `a` (accounts), `t` (its target) and `p` (its policy), as `scope` sees them. */
const accountColumns = (scope: TreeScope) => Prisma.sql`
  a.id, a.target_id AS "targetId", a.target_name AS "targetName", t.address AS "targetAddress",
  a.username, a.description, a.status, a.status_reason AS "statusReason",
  ${iso(Prisma.sql`a.last_checked_at`)} AS "lastCheckedAt", ${iso(Prisma.sql`a.last_changed_at`)} AS "lastChangedAt",
  a.policy_id AS "policyId", p.name AS "policyName", a.compliance,
  (t.managing_account_id IS NOT DISTINCT FROM a.id) AS "isManagingAccount",
  a.checked_out_by_id AS "checkedOutById", ${iso(Prisma.sql`a.checked_out_at`)} AS "checkedOutAt",
  ${iso(Prisma.sql`a.checkout_expires_at`)} AS "checkoutExpiresAt", a.folder_id AS "folderId", ${treeRightsSql(scope, 'account', 'a')} AS "treeRights",
  ${iso(Prisma.sql`a.created_at`)} AS "createdAt",
  ${iso(Prisma.sql`a.updated_at`)} AS "updatedAt"`;

/**
 * Wraps a query of ACCOUNT_COLUMNS (plus an `ord` column giving the order) into one JSON array,
 * with the access epoch of its snapshot when a user's reach filters it (`listWithReach`).
 */
const asJsonArray = (scope: TreeScope, rows: Prisma.Sql) =>
  Prisma.sql`SELECT COALESCE(json_agg(x ORDER BY x.ord), '[]')::text AS rows, ${scope.kind === 'user' && scope.reach ? ACCESS_EPOCH_SQL : Prisma.sql`NULL::text`} AS epoch FROM (${rows}) x`;

/**
 * Each sort is a list of SQL expressions (all ascending or all descending) whose values
 * identify a row, so `(e1, e2, …) > (k1, k2, …)` continues exactly after the cursor row.
 * Each has an index (see the migrations): the first page and a deep page both read the
 * index from the cursor on, never OFFSET.
 */
interface SortSpec {
  exprs: Prisma.Sql[];
  casts: string[];
  parts: KeyPart[];
  keyOf: (row: AccountRow) => string[];
}

const LAST_CHECKED = Prisma.sql`COALESCE(a.last_checked_at, '-infinity'::timestamptz)`;
const BY: Record<'username' | 'status' | 'lastCheckedAt' | 'createdAt' | 'target', SortSpec> = {
  username: {
    exprs: [Prisma.sql`a.username`, Prisma.sql`a.id`],
    casts: ['text', 'uuid'],
    parts: [keyParts.text, keyParts.uuid],
    keyOf: (r) => [r.username, r.id],
  },
  status: {
    exprs: [Prisma.sql`a.status`, Prisma.sql`a.username`, Prisma.sql`a.id`],
    casts: ['account_status', 'text', 'uuid'],
    parts: [keyParts.oneOf(ACCOUNT_STATUSES), keyParts.text, keyParts.uuid],
    keyOf: (r) => [r.status, r.username, r.id],
  },
  // Never checked (NULL) counts as the oldest time.
  lastCheckedAt: {
    exprs: [LAST_CHECKED, Prisma.sql`a.id`],
    casts: ['timestamptz', 'uuid'],
    parts: [keyParts.timestampOrMinusInfinity, keyParts.uuid],
    keyOf: (r) => [r.lastCheckedAt ?? '-infinity', r.id],
  },
  createdAt: {
    exprs: [Prisma.sql`a.created_at`, Prisma.sql`a.id`],
    casts: ['timestamptz', 'uuid'],
    parts: [keyParts.timestamp, keyParts.uuid],
    keyOf: (r) => [r.createdAt, r.id],
  },
  // On the copy of the target's name in accounts (kept by triggers), so one index serves it.
  target: {
    exprs: [Prisma.sql`a.target_name`, Prisma.sql`a.username`, Prisma.sql`a.id`],
    casts: ['text', 'text', 'uuid'],
    parts: [keyParts.text, keyParts.text, keyParts.uuid],
    keyOf: (r) => [r.targetName, r.username, r.id],
  },
};

export function accountSortSpec(sort: AccountSort): { desc: boolean } & SortSpec {
  const desc = sort.startsWith('-');
  return { desc, ...BY[(desc ? sort.slice(1) : sort) as keyof typeof BY] };
}

/**
 * The SQL of one page, as one JSON array (exported for the benchmark's raw-pg baseline).
 * The page's rows are picked on `accounts` alone — an index scan in the sort's order from
 * the cursor on, or, for a rare text, the trigram indexes and a top-N sort — and only then
 * joined to their target and policy: 50 lookups, not a join of every match. The text
 * filter and the `target` sort use accounts.target_name, so no join stands in the way of an
 * index. See docs/benchmarks.md (API lists) for the plans and figures.
 */
export function accountListSql(scope: TreeScope, filter: AccountFilter, sort: AccountSort, after: string[] | undefined, limit: number): Prisma.Sql {
  const spec = accountSortSpec(sort);
  const where: Prisma.Sql[] = scope.kind === 'all' ? [] : [accountAllowedSql(scope, 'view', 'a')];
  if (filter.targetId) where.push(Prisma.sql`a.target_id = ${filter.targetId}::uuid`);
  if (filter.folderId) {
    where.push(
      filter.recursive === false
        ? Prisma.sql`a.folder_id = ${filter.folderId}::uuid`
        : Prisma.sql`a.folder_id IN (SELECT c.descendant_id FROM folder_closure c WHERE c.ancestor_id = ${filter.folderId}::uuid)`,
    );
  }
  if (filter.status) where.push(Prisma.sql`a.status = ${filter.status}::account_status`);
  if (filter.compliance) where.push(Prisma.sql`a.compliance = ${filter.compliance}::policy_compliance`);
  if (filter.checkedOut !== undefined) where.push(filter.checkedOut ? checkedOutSql('a') : Prisma.sql`NOT ${checkedOutSql('a')}`);
  if (filter.rotationOverdue !== undefined) where.push(filter.rotationOverdue ? rotationOverdueSql('a') : Prisma.sql`NOT ${rotationOverdueSql('a')}`);
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    where.push(Prisma.sql`(a.username ILIKE ${pattern} OR a.target_name ILIKE ${pattern})`);
  }
  if (after) {
    const values = after.map((v, i) => Prisma.sql`${v}::${Prisma.raw(spec.casts[i]!)}`);
    where.push(Prisma.sql`(${Prisma.join(spec.exprs)}) ${Prisma.raw(spec.desc ? '<' : '>')} (${Prisma.join(values)})`);
  }
  const direction = Prisma.raw(spec.desc ? ' DESC' : '');
  const orderBy = Prisma.join(
    spec.exprs.map((e) => Prisma.sql`${e}${direction}`),
    ', ',
  );
  // OFFSET 0 keeps the lateral lookups from being flattened into hash joins that would read
  // every target to join 50 rows (the planner's costs call it a tie; index probes are 2x faster).
  return asJsonArray(
    scope,
    Prisma.sql`SELECT ${accountColumns(scope)}, row_number() OVER (ORDER BY ${orderBy}) AS ord
    FROM (SELECT a.* FROM accounts a WHERE ${where.length ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`} ORDER BY ${orderBy} LIMIT ${limit}) a
    CROSS JOIN LATERAL (SELECT address, managing_account_id FROM targets WHERE id = a.target_id OFFSET 0) t
    LEFT JOIN LATERAL (SELECT name FROM policies WHERE id = a.policy_id OFFSET 0) p ON TRUE`,
  );
}

async function queryAccounts(db: DbClient, scope: TreeScope, sql: Prisma.Sql): Promise<AtAccessEpoch<AccountRow[]>> {
  const [result] = await db.$queryRaw<{ rows: string; epoch: string | null }[]>(sql);
  const rows = JSON.parse(result!.rows) as AccountRow[];
  return {
    value: rightsOfRows(scope, rows, (row) => ({ folderId: row.folderId, targetId: row.targetId, accountId: row.id })),
    accessEpoch: result!.epoch === null ? null : BigInt(result!.epoch),
  };
}

function accountsRepo(db: DbClient) {
  return {
    /** One page in the sort's order, continuing after the row whose key is `after`, and the access epoch it was read at. */
    list: (scope: TreeScope, filter: AccountFilter, sort: AccountSort, after: string[] | undefined, limit: number) =>
      queryAccounts(db, scope, accountListSql(scope, filter, sort, after, limit)),

    /** One account as `scope` sees it (its rights); whether it may see it at all is the caller's check. */
    get: async (scope: TreeScope, id: string): Promise<AccountRow | null> => {
      const { value: rows } = await queryAccounts(
        db,
        scope,
        asJsonArray(
          scope,
          Prisma.sql`SELECT ${accountColumns(scope)}, 1 AS ord
          FROM accounts a JOIN targets t ON t.id = a.target_id LEFT JOIN policies p ON p.id = a.policy_id
         WHERE a.id = ${id}::uuid`,
        ),
      );
      return rows[0] ?? null;
    },

    /** The row locked until the end of the transaction (a delete or update sees no concurrent change). */
    lock: async (id: string): Promise<boolean> => {
      const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT id FROM accounts WHERE id = ${id}::uuid FOR UPDATE`);
      return rows.length > 0;
    },

    targetExists: async (targetId: string) => (await db.target.count({ where: { id: targetId } })) > 0,
    policyExists: async (policyId: string) => (await db.policy.count({ where: { id: policyId } })) > 0,

    create: (data: { targetId: string; username: string; description: string; policyId: string | null }) =>
      db.account.create({ data, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, `An account ${data.username} on this target`)),

    update: (id: string, data: { username?: string; description?: string; policyId?: string | null }) =>
      db.account
        .update({ where: { id }, data, select: { id: true } })
        .catch((e: unknown) => mapConstraintError(e, data.username ? `An account ${data.username} on this target` : 'Account')),

    /** InSync no more until checked again: what was checked was another login. */
    markUnverified: (id: string) => db.account.updateMany({ where: { id, status: 'InSync' }, data: { status: 'Unknown', statusReason: 'NOT_CHECKED' } }),

    delete: (id: string) => db.account.delete({ where: { id }, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, 'Account')),

    /** How much goes with the account when it is deleted (for the audit trail). */
    dependents: async (id: string) => ({
      credentials: await db.credential.count({ where: { accountId: id } }),
      jobs: await db.job.count({ where: { accountId: id } }),
    }),
  };
}

export const createAccountsRepo = (db: DbClient) => transactional(db, accountsRepo);
export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
