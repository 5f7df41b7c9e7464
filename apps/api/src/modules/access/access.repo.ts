import { VAULT_ACTIONS, type VaultAction, type VaultObjectType } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { createReach, type Reach, type ReachIds, type ReachPath, type ReachRow } from './reach.js';

/**
 * Whose rights a query applies, in SQL. `all`: every object is seen, with the same rights on each
 * (an administrator, an auditor, or PassMan itself running scheduled jobs). `user`: what the
 * grants reaching the user, directly or through their groups, on an object and its ancestors yield.
 */
export type TreeScope = { kind: 'all'; rights: readonly VaultAction[] } | { kind: 'user'; userId: string; reach?: Reach };

/**
 * Grants naming the user or one of their groups; over a `grants g`. The groups are an array
 * computed once (an InitPlan), so `group_id = ANY(…)` is an index condition and the two halves
 * are a BitmapOr over the user and group indexes. As `group_id IN (SELECT …)` inside an OR it
 * was a filter that no index serves: every grant was read, for each list and each check.
 */
const namesUser = (userId: string) =>
  Prisma.sql`(g.user_id = ${userId}::uuid OR g.group_id = ANY (ARRAY(SELECT m.group_id FROM user_group_members m WHERE m.user_id = ${userId}::uuid)))`;

/** The folders at and above `folderId` (an SQL expression), as an array: `folder_id = ANY(…)` is an index condition. */
const ancestorsOf = (folderId: Prisma.Sql) => Prisma.sql`ARRAY(SELECT c.ancestor_id FROM folder_closure c WHERE c.descendant_id = ${folderId})`;

/**
 * The ids that the user's grants of `action` with `effect` reach, one set per level: folders (every
 * folder at or below a granted one, through the closure), targets and accounts. Uncorrelated
 * sub-selects: PostgreSQL computes each once per query and probes it as a hash. The granted folders
 * are an array that the closure's index is probed with: as a join, the planner at times merged the
 * whole closure with every folder grant of every user.
 */
function reached(userId: string, action: VaultAction, effect: 'ALLOW' | 'DENY') {
  const where = Prisma.sql`${namesUser(userId)} AND g.action = ${action}::vault_action AND g.effect = ${effect}::grant_effect`;
  return {
    folders: Prisma.sql`(SELECT c.descendant_id FROM folder_closure c WHERE c.ancestor_id = ANY (ARRAY(SELECT g.folder_id FROM grants g WHERE ${where} AND g.folder_id IS NOT NULL)))`,
    targets: Prisma.sql`(SELECT g.target_id FROM grants g WHERE ${where} AND g.target_id IS NOT NULL)`,
    accounts: Prisma.sql`(SELECT g.account_id FROM grants g WHERE ${where} AND g.account_id IS NOT NULL)`,
  };
}

/**
 * The access epoch as a column of a list's own query (text: a bigint past 2^53 stays exact), so the
 * list and the epoch it was read at come from one snapshot: see `listWithReach` (access.service.ts).
 */
export const ACCESS_EPOCH_SQL = Prisma.sql`(SELECT value FROM access_epoch WHERE id = 1)::text`;

/** What a list's query read, and the access epoch of its snapshot (null when it did not read it). */
export interface AtAccessEpoch<T> {
  value: T;
  accessEpoch: bigint | null;
}

/** An alias of a fixed name, never user input. */
const col = (alias: string, column: string) => Prisma.raw(`${alias}.${column}`);

/** True where one of the columns is among the ids of its level (a constant array each, hashed by the planner). */
function amongSql(ids: ReachIds, columns: { folder: Prisma.Sql; target?: Prisma.Sql; account?: Prisma.Sql }): Prisma.Sql {
  const terms = [
    ids.folders.length ? Prisma.sql`${columns.folder} = ANY (${ids.folders}::uuid[])` : null,
    columns.target && ids.targets.length ? Prisma.sql`${columns.target} = ANY (${ids.targets}::uuid[])` : null,
    columns.account && ids.accounts.length ? Prisma.sql`${columns.account} = ANY (${ids.accounts}::uuid[])` : null,
  ].filter((t): t is Prisma.Sql => t !== null);
  return terms.length ? Prisma.sql`(${Prisma.join(terms, ' OR ')})` : Prisma.sql`FALSE`;
}

/**
 * True for the rows of `accounts <alias>` on which the scope has `action`: an ALLOW on the account,
 * its target or a folder above it, and no DENY on any of them (DENY wins).
 */
export function accountAllowedSql(scope: TreeScope, action: VaultAction, alias = 'a'): Prisma.Sql {
  if (scope.kind === 'all') return scope.rights.includes(action) ? Prisma.sql`TRUE` : Prisma.sql`FALSE`;
  if (scope.reach) {
    const columns = { folder: col(alias, 'folder_id'), target: col(alias, 'target_id'), account: col(alias, 'id') };
    return Prisma.sql`(${amongSql(scope.reach.ids(action, 'ALLOW'), columns)} AND NOT ${amongSql(scope.reach.ids(action, 'DENY'), columns)})`;
  }
  const allow = reached(scope.userId, action, 'ALLOW');
  const deny = reached(scope.userId, action, 'DENY');
  const [folder, target, id] = [col(alias, 'folder_id'), col(alias, 'target_id'), col(alias, 'id')];
  return Prisma.sql`((${folder} IN ${allow.folders} OR ${target} IN ${allow.targets} OR ${id} IN ${allow.accounts})
    AND NOT (${folder} IN ${deny.folders} OR ${target} IN ${deny.targets} OR ${id} IN ${deny.accounts}))`;
}

/** True for the rows of `targets <alias>` on which the scope has `action` (grants on the target and the folders above it). */
export function targetAllowedSql(scope: TreeScope, action: VaultAction, alias = 't'): Prisma.Sql {
  if (scope.kind === 'all') return scope.rights.includes(action) ? Prisma.sql`TRUE` : Prisma.sql`FALSE`;
  if (scope.reach) {
    const columns = { folder: col(alias, 'folder_id'), target: col(alias, 'id') };
    return Prisma.sql`(${amongSql(scope.reach.ids(action, 'ALLOW'), columns)} AND NOT ${amongSql(scope.reach.ids(action, 'DENY'), columns)})`;
  }
  const allow = reached(scope.userId, action, 'ALLOW');
  const deny = reached(scope.userId, action, 'DENY');
  const [folder, id] = [col(alias, 'folder_id'), col(alias, 'id')];
  return Prisma.sql`((${folder} IN ${allow.folders} OR ${id} IN ${allow.targets}) AND NOT (${folder} IN ${deny.folders} OR ${id} IN ${deny.targets}))`;
}

/**
 * True for the targets the scope may see: those it may view, and those holding an account it may
 * view (granted on the account alone), so every account it sees has a target to be reached through.
 */
export function targetVisibleSql(scope: TreeScope, alias = 't'): Prisma.Sql {
  if (scope.kind === 'all') return Prisma.sql`TRUE`;
  const grantedAccounts = scope.reach
    ? Prisma.sql`va.id = ANY (${scope.reach.ids('view', 'ALLOW').accounts}::uuid[])`
    : Prisma.sql`va.id IN ${reached(scope.userId, 'view', 'ALLOW').accounts}`;
  const viaAccount = Prisma.sql`${col(alias, 'id')} IN (SELECT va.target_id FROM accounts va
    WHERE ${grantedAccounts} AND ${accountAllowedSql(scope, 'view', 'va')})`;
  return Prisma.sql`(${targetAllowedSql(scope, 'view', alias)} OR ${viaAccount})`;
}

/** True for the rows of `folders <alias>` on which the scope has `action`. */
export function folderAllowedSql(scope: TreeScope, action: VaultAction, alias = 'f'): Prisma.Sql {
  if (scope.kind === 'all') return scope.rights.includes(action) ? Prisma.sql`TRUE` : Prisma.sql`FALSE`;
  const id = col(alias, 'id');
  if (scope.reach) {
    const columns = { folder: id };
    return Prisma.sql`(${amongSql(scope.reach.ids(action, 'ALLOW'), columns)} AND NOT ${amongSql(scope.reach.ids(action, 'DENY'), columns)})`;
  }
  return Prisma.sql`(${id} IN ${reached(scope.userId, action, 'ALLOW').folders} AND ${id} NOT IN ${reached(scope.userId, action, 'DENY').folders})`;
}

/**
 * The ids of the folders the scope may see: those it may view, and every folder on the way from
 * the root to one of them or to a target it may see, so the tree it is shown is connected.
 */
export function visibleFolderIdsSql(scope: TreeScope): Prisma.Sql {
  if (scope.kind === 'all') return Prisma.sql`(SELECT f.id FROM folders f)`;
  return Prisma.sql`(SELECT c.ancestor_id FROM folder_closure c WHERE c.descendant_id IN (
      SELECT f.id FROM folders f WHERE ${folderAllowedSql(scope, 'view', 'f')}
      UNION SELECT t.folder_id FROM targets t WHERE ${targetVisibleSql(scope, 't')}))`;
}

/**
 * The actions the scope's grants allow on each row (text[]), for the rights a list shows beside
 * each object: grants on the object's path, grouped by action, kept where none is a DENY.
 * Correlated: meant for one page of rows, not for filtering.
 */
export function treeRightsSql(scope: TreeScope, objectType: VaultObjectType, alias: string): Prisma.Sql {
  if (scope.kind === 'all') return Prisma.sql`${scope.rights as string[]}::text[]`;
  // With a reach the rows' rights come from it (rightsOfRows), not from a query per row.
  if (scope.reach) return Prisma.sql`NULL::text[]`;
  const path =
    objectType === 'account'
      ? Prisma.sql`(g.account_id = ${col(alias, 'id')} OR g.target_id = ${col(alias, 'target_id')} OR g.folder_id = ANY (${ancestorsOf(col(alias, 'folder_id'))}))`
      : objectType === 'target'
        ? Prisma.sql`(g.target_id = ${col(alias, 'id')} OR g.folder_id = ANY (${ancestorsOf(col(alias, 'folder_id'))}))`
        : Prisma.sql`g.folder_id = ANY (${ancestorsOf(col(alias, 'id'))})`;
  return Prisma.sql`(SELECT coalesce(array_agg(r.action::text), '{}') FROM (
    SELECT g.action FROM grants g WHERE ${namesUser(scope.userId)} AND ${path} GROUP BY g.action HAVING bool_and(g.effect = 'ALLOW')) r)`;
}

/** Every (action, object id) the scope is allowed at or below the areas: folders, targets, accounts. */
function rightsBelowSql(scope: TreeScope, areas: { type: VaultObjectType; id: string }[]): Prisma.Sql {
  const parts = areas.flatMap(({ type, id }) =>
    VAULT_ACTIONS.flatMap((action) => {
      const act = Prisma.sql`${action}::text`;
      if (type === 'account')
        return [Prisma.sql`SELECT ${act} AS action, a.id FROM accounts a WHERE a.id = ${id}::uuid AND ${accountAllowedSql(scope, action, 'a')}`];
      if (type === 'target') {
        return [
          Prisma.sql`SELECT ${act} AS action, t.id FROM targets t WHERE t.id = ${id}::uuid AND ${targetAllowedSql(scope, action, 't')}`,
          Prisma.sql`SELECT ${act} AS action, a.id FROM accounts a WHERE a.target_id = ${id}::uuid AND ${accountAllowedSql(scope, action, 'a')}`,
        ];
      }
      const below = Prisma.sql`(SELECT c.descendant_id FROM folder_closure c WHERE c.ancestor_id = ${id}::uuid)`;
      return [
        Prisma.sql`SELECT ${act} AS action, f.id FROM folders f WHERE f.id IN ${below} AND ${folderAllowedSql(scope, action, 'f')}`,
        Prisma.sql`SELECT ${act} AS action, t.id FROM targets t WHERE t.folder_id IN ${below} AND ${targetAllowedSql(scope, action, 't')}`,
        Prisma.sql`SELECT ${act} AS action, a.id FROM accounts a WHERE a.folder_id IN ${below} AND ${accountAllowedSql(scope, action, 'a')}`,
      ];
    }),
  );
  return Prisma.join(parts, ' UNION ALL ');
}

/** Where an object sits: the ids on its path from the account up to its folder. */
export interface ObjectPath {
  accountId: string | null;
  targetId: string | null;
  folderId: string;
  name: string;
}

type ObjectRightsRow = ObjectPath & { rights: string[] };

/** Rows read with `treeRightsSql(scope, …)`, their `treeRights` filled in from the scope's reach when it has one. */
export function rightsOfRows<R extends { treeRights: string[] | null }>(scope: TreeScope, rows: R[], pathOf: (row: R) => ReachPath): R[] {
  if (scope.kind !== 'user' || !scope.reach) return rows;
  const reach = scope.reach;
  return rows.map((row) => ({ ...row, treeRights: reach.rightsOf(pathOf(row)) }));
}

function accessRepo(db: DbClient) {
  return {
    /**
     * The object's place in the tree and the actions the scope's grants allow on it (DENY wins per
     * action), in one query — every request on an object starts here, so it is one round trip;
     * null when the object does not exist.
     */
    async objectRights(scope: TreeScope, type: VaultObjectType, id: string): Promise<{ path: ObjectPath; tree: VaultAction[] } | null> {
      const rows =
        type === 'account'
          ? await db.$queryRaw<ObjectRightsRow[]>`SELECT a.id::text AS "accountId", a.target_id::text AS "targetId", a.folder_id::text AS "folderId",
              a.username AS name, ${treeRightsSql(scope, 'account', 'a')} AS rights FROM accounts a WHERE a.id = ${id}::uuid`
          : type === 'target'
            ? await db.$queryRaw<ObjectRightsRow[]>`SELECT NULL AS "accountId", t.id::text AS "targetId", t.folder_id::text AS "folderId", t.name,
                ${treeRightsSql(scope, 'target', 't')} AS rights FROM targets t WHERE t.id = ${id}::uuid`
            : await db.$queryRaw<ObjectRightsRow[]>`SELECT NULL AS "accountId", NULL AS "targetId", f.id::text AS "folderId", f.name,
                ${treeRightsSql(scope, 'folder', 'f')} AS rights FROM folders f WHERE f.id = ${id}::uuid`;
      const row = rows[0];
      if (!row) return null;
      const { rights, ...path } = row;
      return { path, tree: VAULT_ACTIONS.filter((a) => rights.includes(a)) };
    },

    /** Whether a target or folder is visible to the user through what lies below it. */
    async visibleThroughContent(scope: TreeScope, type: 'target' | 'folder', id: string): Promise<boolean> {
      const rows =
        type === 'target'
          ? await db.$queryRaw<{ ok: boolean }[]>`SELECT EXISTS (SELECT 1 FROM targets t WHERE t.id = ${id}::uuid AND ${targetVisibleSql(scope, 't')}) AS ok`
          : await db.$queryRaw<{ ok: boolean }[]>`SELECT ${id}::uuid IN ${visibleFolderIdsSql(scope)} AS ok`;
      return rows[0]?.ok ?? false;
    },

    /** For each of the accounts that exist: whether `scope` may view it, and do `action` on it. One query. */
    accountsRights: async (scope: TreeScope, accountIds: string[], action: VaultAction) =>
      db.$queryRaw<{ id: string; visible: boolean; allowed: boolean }[]>`
        SELECT a.id::text AS id, ${accountAllowedSql(scope, 'view', 'a')} AS visible, ${accountAllowedSql(scope, action, 'a')} AS allowed
          FROM accounts a WHERE a.id = ANY(${accountIds}::uuid[])`,

    /**
     * How many objects at or below a folder or target `scope` may not both see and do `action` on
     * (subfolders, targets, accounts): an object hidden from it counts, so nothing it cannot see is touched.
     */
    deniedBelow: async (scope: TreeScope, type: 'folder' | 'target', id: string, action: VaultAction): Promise<number> => {
      const both = (sql: (s: TreeScope, a: VaultAction, alias: string) => Prisma.Sql, alias: string) =>
        Prisma.sql`(${sql(scope, 'view', alias)} AND ${sql(scope, action, alias)})`;
      const rows =
        type === 'target'
          ? await db.$queryRaw<{ n: number }[]>`
              SELECT count(*)::int AS n FROM accounts a WHERE a.target_id = ${id}::uuid AND NOT ${both(accountAllowedSql, 'a')}`
          : await db.$queryRaw<{ n: number }[]>`
              WITH below AS (SELECT c.descendant_id AS id FROM folder_closure c WHERE c.ancestor_id = ${id}::uuid)
              SELECT (SELECT count(*) FROM folders f WHERE f.id IN (SELECT id FROM below) AND NOT ${both(folderAllowedSql, 'f')})
                   + (SELECT count(*) FROM targets t WHERE t.folder_id IN (SELECT id FROM below) AND NOT ${both(targetAllowedSql, 't')})
                   + (SELECT count(*) FROM accounts a WHERE a.folder_id IN (SELECT id FROM below) AND NOT ${both(accountAllowedSql, 'a')}) AS n`;
      return Number(rows[0]?.n ?? 0);
    },

    /**
     * Records, in a temporary table that lives until the transaction ends, every (action, object)
     * `scope` is allowed at or below each area; `widenedSince` then names the actions it has gained
     * anywhere there since. An object-by-object comparison: a change that takes one right away
     * cannot hide one it gives.
     */
    snapshotRights: async (scope: TreeScope, areas: { type: VaultObjectType; id: string }[], table: string): Promise<void> => {
      await db.$executeRaw`CREATE TEMP TABLE ${Prisma.raw(table)} ON COMMIT DROP AS ${rightsBelowSql(scope, areas)}`;
    },

    widenedSince: async (scope: TreeScope, areas: { type: VaultObjectType; id: string }[], table: string): Promise<VaultAction[]> => {
      const rows = await db.$queryRaw<{ action: VaultAction }[]>`
        SELECT DISTINCT now.action FROM (${rightsBelowSql(scope, areas)}) now
         WHERE NOT EXISTS (SELECT 1 FROM ${Prisma.raw(table)} b WHERE b.action = now.action AND b.id = now.id)`;
      return VAULT_ACTIONS.filter((a) => rows.some((r) => r.action === a));
    },

    /** Everything the user's grants reach, for the lists of one request (reach.ts): one query, at most a row per action, effect and level. */
    reachOf: async (userId: string): Promise<Reach> =>
      createReach(
        await db.$queryRaw<ReachRow[]>`
          SELECT g.action::text AS action, g.effect::text AS effect,
                 CASE WHEN g.folder_id IS NOT NULL THEN 'folder' WHEN g.target_id IS NOT NULL THEN 'target' ELSE 'account' END AS level,
                 array_agg(DISTINCT COALESCE(c.descendant_id, g.target_id, g.account_id)::text) AS ids
            FROM grants g LEFT JOIN folder_closure c ON c.ancestor_id = g.folder_id
           WHERE ${namesUser(userId)}
           GROUP BY 1, 2, 3`,
      ),

    /** The access epoch: it moves whenever what any user's grants reach may have changed (the migration's triggers). */
    accessEpoch: async (): Promise<bigint> => BigInt((await db.$queryRaw<{ value: bigint | string }[]>`SELECT value FROM access_epoch WHERE id = 1`)[0]!.value),

    rootFolderId: async (): Promise<string> => {
      const rows = await db.$queryRaw<{ id: string }[]>`SELECT id::text FROM folders WHERE parent_id IS NULL`;
      return rows[0]!.id;
    },
  };
}

export const createAccessRepo = (db: DbClient) => transactional(db, accessRepo);
/** The queries alone, as `within(tx)` gives them. */
export type AccessQueries = ReturnType<typeof accessRepo>;
export type AccessRepo = ReturnType<typeof createAccessRepo>;
