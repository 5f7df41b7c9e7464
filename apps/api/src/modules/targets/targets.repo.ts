import type { TargetSort } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { mapConstraintError } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { containsPattern } from '../../lib/contains-pattern.js';
import { keyParts, type KeyPart } from '../../lib/keyset.js';
import { ACCESS_EPOCH_SQL, accountAllowedSql, rightsOfRows, targetVisibleSql, treeRightsSql, type AtAccessEpoch, type TreeScope } from '../access/index.js';

export interface HostKeyRow {
  id: string;
  algorithm: string;
  fingerprint: string;
  status: 'PENDING' | 'APPROVED' | 'REVOKED';
  firstSeenAt: Date;
  approvedAt: Date | null;
  seenAddress: string | null;
  seenPort: number | null;
  lastSeenAt: Date | null;
  approvalMac: string | null;
}

/** One target as lists and reads see it: its row, its managing account's name, its account count and host keys. */
export interface TargetRow {
  id: string;
  name: string;
  address: string;
  port: number;
  connectorKind: 'ssh';
  description: string;
  tags: string[];
  managingAccountId: string | null;
  managingUsername: string | null;
  /** The accounts of the target the reader may see. */
  accountCount: number;
  folderId: string;
  /** What the reader's grants (or role) allow on it, before their role's permissions narrow it. */
  treeRights: string[];
  createdAt: Date;
  updatedAt: Date;
  hostKeys: HostKeyRow[];
}

export interface TargetFilter {
  /** Case-insensitive substring of the name or the address. */
  q?: string;
  tag?: string;
  folderId?: string;
  /** With folderId: also the folders below it. */
  recursive?: boolean;
  hostKeyPending?: boolean;
}

/** A host key waiting for approval, over `targets <alias>`: the dashboard's count and the list's filter are this one predicate. */
export const hostKeyPendingSql = (alias: string) =>
  Prisma.sql`EXISTS (SELECT 1 FROM target_host_keys hk WHERE hk.target_id = ${Prisma.raw(alias)}.id AND hk.status = 'PENDING')`;

interface SortSpec {
  exprs: Prisma.Sql[];
  casts: string[];
  parts: KeyPart[];
  keyOf: (row: TargetRow) => string[];
}

const BY: Record<'name' | 'createdAt', SortSpec> = {
  // Names are unique only within a folder: the id breaks ties.
  name: {
    exprs: [Prisma.sql`t.name`, Prisma.sql`t.id`],
    casts: ['text', 'uuid'],
    parts: [keyParts.text, keyParts.uuid],
    keyOf: (r) => [r.name, r.id],
  },
  createdAt: {
    exprs: [Prisma.sql`t.created_at`, Prisma.sql`t.id`],
    casts: ['timestamptz', 'uuid'],
    parts: [keyParts.timestamp, keyParts.uuid],
    keyOf: (r) => [r.createdAt.toISOString(), r.id],
  },
};

export function targetSortSpec(sort: TargetSort): { desc: boolean } & SortSpec {
  const desc = sort.startsWith('-');
  return { desc, ...BY[(desc ? sort.slice(1) : sort) as keyof typeof BY] };
}

const targetColumns = (scope: TreeScope) => Prisma.sql`
  t.id, t.name, t.address, t.port, t.connector_kind::text AS "connectorKind", t.description, COALESCE(t.tags, ARRAY[]::text[]) AS tags,
  m.id AS "managingAccountId", m.username AS "managingUsername",
  (SELECT count(*)::int FROM accounts c WHERE c.target_id = t.id AND ${accountAllowedSql(scope, 'view', 'c')}) AS "accountCount",
  t.folder_id AS "folderId", ${treeRightsSql(scope, 'target', 't')} AS "treeRights",
  t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

function listQuery(scope: TreeScope, filter: TargetFilter, sort: TargetSort, after: string[] | undefined, limit: number): Prisma.Sql {
  const spec = targetSortSpec(sort);
  const where: Prisma.Sql[] = [targetVisibleSql(scope, 't')];
  if (filter.folderId) {
    where.push(
      filter.recursive === false
        ? Prisma.sql`t.folder_id = ${filter.folderId}::uuid`
        : Prisma.sql`t.folder_id IN (SELECT c.descendant_id FROM folder_closure c WHERE c.ancestor_id = ${filter.folderId}::uuid)`,
    );
  }
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    where.push(Prisma.sql`(t.name ILIKE ${pattern} OR t.address ILIKE ${pattern})`);
  }
  if (filter.tag) where.push(Prisma.sql`t.tags @> ARRAY[${filter.tag}]::text[]`);
  if (filter.hostKeyPending !== undefined) where.push(filter.hostKeyPending ? hostKeyPendingSql('t') : Prisma.sql`NOT ${hostKeyPendingSql('t')}`);
  if (after) {
    const values = after.map((v, i) => Prisma.sql`${v}::${Prisma.raw(spec.casts[i]!)}`);
    where.push(Prisma.sql`(${Prisma.join(spec.exprs)}) ${Prisma.raw(spec.desc ? '<' : '>')} (${Prisma.join(values)})`);
  }
  const direction = Prisma.raw(spec.desc ? ' DESC' : '');
  const orderBy = Prisma.join(
    spec.exprs.map((e) => Prisma.sql`${e}${direction}`),
    ', ',
  );
  // With a reach, the access epoch of the query's snapshot comes with the page (`listWithReach`,
  // access.service.ts): joined as one row, so an empty page still brings it, as a row without a target.
  const withEpoch = scope.kind === 'user' && scope.reach;
  return Prisma.sql`SELECT ${targetColumns(scope)}${withEpoch ? Prisma.sql`, e."accessEpoch"` : Prisma.empty}
    FROM (SELECT * FROM targets t WHERE ${Prisma.join(where, ' AND ')} ORDER BY ${orderBy} LIMIT ${limit}) t
    LEFT JOIN accounts m ON m.id = t.managing_account_id AND ${accountAllowedSql(scope, 'view', 'm')}
    ${withEpoch ? Prisma.sql`RIGHT JOIN (SELECT ${ACCESS_EPOCH_SQL} AS "accessEpoch") e ON TRUE` : Prisma.empty}
   ORDER BY ${orderBy}`;
}

function targetsRepo(db: DbClient) {
  /** Adds the host keys of the rows (one query for the whole page). */
  async function withHostKeys(rows: Omit<TargetRow, 'hostKeys'>[]): Promise<TargetRow[]> {
    if (rows.length === 0) return [];
    const keys = await db.targetHostKey.findMany({
      where: { targetId: { in: rows.map((r) => r.id) } },
      orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }],
      select: {
        id: true,
        targetId: true,
        algorithm: true,
        fingerprint: true,
        status: true,
        firstSeenAt: true,
        approvedAt: true,
        seenAddress: true,
        seenPort: true,
        lastSeenAt: true,
        approvalMac: true,
      },
    });
    return rows.map((row) => ({
      ...row,
      hostKeys: keys.filter((k) => k.targetId === row.id).map(({ targetId: _targetId, ...key }) => key),
    }));
  }

  return {
    /** One page in the sort's order, continuing after the row whose key is `after`, and the access epoch it was read at. */
    list: async (scope: TreeScope, filter: TargetFilter, sort: TargetSort, after: string[] | undefined, limit: number): Promise<AtAccessEpoch<TargetRow[]>> => {
      const read = await db.$queryRaw<(Omit<TargetRow, 'hostKeys'> & { accessEpoch?: string })[]>(listQuery(scope, filter, sort, after, limit));
      const epoch = read[0]?.accessEpoch;
      // An empty page is one row that carries only the epoch.
      const rows = read.filter((row) => row.id !== null).map(({ accessEpoch: _epoch, ...row }) => row);
      return {
        value: await withHostKeys(rightsOfRows(scope, rows, (row) => ({ folderId: row.folderId, targetId: row.id }))),
        accessEpoch: epoch === undefined ? null : BigInt(epoch),
      };
    },

    /** One target as `scope` sees it (its account count and rights); whether it may see it at all is the caller's check. */
    get: async (scope: TreeScope, id: string): Promise<TargetRow | null> => {
      const rows = await db.$queryRaw<Omit<TargetRow, 'hostKeys'>[]>(
        Prisma.sql`SELECT ${targetColumns(scope)} FROM targets t
          LEFT JOIN accounts m ON m.id = t.managing_account_id AND ${accountAllowedSql(scope, 'view', 'm')} WHERE t.id = ${id}::uuid`,
      );
      return (await withHostKeys(rows))[0] ?? null;
    },

    /**
     * Locks the target row until the end of the transaction. New accounts of the target wait
     * (their foreign key check needs a share lock on it), so a count taken now stays true.
     */
    lock: async (id: string): Promise<boolean> => {
      const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT id FROM targets WHERE id = ${id}::uuid FOR UPDATE`);
      return rows.length > 0;
    },

    isAccountOf: async (accountId: string, targetId: string) => (await db.account.count({ where: { id: accountId, targetId } })) > 0,

    create: (data: { name: string; address: string; port: number; connectorKind: 'ssh'; description: string; tags: string[]; folderId: string }) =>
      db.target.create({ data, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, `Target ${data.name}`)),

    update: (
      id: string,
      data: { name?: string; address?: string; port?: number; description?: string; tags?: string[]; managingAccountId?: string | null; folderId?: string },
    ) =>
      db.target
        .update({ where: { id }, data, select: { id: true } })
        .catch((e: unknown) => mapConstraintError(e, data.name ? `Target ${data.name}` : 'Target')),

    /**
     * A pinned key vouches for the host at one address: when the address or port changes, the
     * APPROVED keys go back to PENDING (nothing is trusted until someone approves again); their
     * approval time stays, marking them as pinned once. Returns the fingerprints unpinned.
     */
    unpinHostKeys: async (targetId: string): Promise<string[]> => {
      const rows = await db.$queryRaw<{ fingerprint: string }[]>(
        Prisma.sql`UPDATE target_host_keys SET status = 'PENDING' WHERE target_id = ${targetId}::uuid AND status = 'APPROVED' RETURNING fingerprint`,
      );
      return rows.map((r) => r.fingerprint).sort();
    },

    /** Deletes the target; its accounts, their credentials and jobs, and its host keys go with it (ON DELETE CASCADE). */
    delete: (id: string) => db.target.delete({ where: { id }, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, 'Target')),
  };
}

export const createTargetsRepo = (db: DbClient) => transactional(db, targetsRepo);
export type TargetsRepo = ReturnType<typeof createTargetsRepo>;
