import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { mapConstraintError } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { accountAllowedSql, rightsOfRows, targetVisibleSql, treeRightsSql, visibleFolderIdsSql, type TreeScope } from '../access/index.js';

/** One folder as a reader sees it: its place in the tree, what they see in it, and their rights on it. */
export interface FolderRow {
  id: string;
  parentId: string | null;
  name: string;
  depth: number;
  /** JSON: [{ id, name }] from the root down to the parent. */
  path: string;
  treeRights: string[];
  folderCount: number;
  targetCount: number;
  accountCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The folders `scope` sees (one query; parents before children, then by name), each with the
 * counts of what it sees in them: child folders, targets directly in the folder, accounts
 * anywhere below it. The counts are set-based: the visible accounts below the chosen folders are
 * counted per folder once, then summed up the closure — not counted again for every folder.
 */
function folderQuery(scope: TreeScope, where: Prisma.Sql): Prisma.Sql {
  const visible = visibleFolderIdsSql(scope);
  return Prisma.sql`
    WITH vis AS MATERIALIZED (SELECT DISTINCT x.id FROM ${visible} AS x(id)),
    sel AS MATERIALIZED (SELECT f.* FROM folders f WHERE f.id IN (SELECT id FROM vis) AND ${where}),
    below AS MATERIALIZED (SELECT DISTINCT c.descendant_id AS id FROM folder_closure c WHERE c.ancestor_id IN (SELECT id FROM sel)),
    direct_accounts AS (
      SELECT a.folder_id, count(*) AS n FROM accounts a WHERE a.folder_id IN (SELECT id FROM below) AND ${accountAllowedSql(scope, 'view', 'a')} GROUP BY a.folder_id),
    accounts_below AS (
      SELECT c.ancestor_id AS id, sum(d.n)::int AS n FROM direct_accounts d JOIN folder_closure c ON c.descendant_id = d.folder_id
       WHERE c.ancestor_id IN (SELECT id FROM sel) GROUP BY c.ancestor_id),
    direct_targets AS (
      SELECT t.folder_id AS id, count(*)::int AS n FROM targets t WHERE t.folder_id IN (SELECT id FROM sel) AND ${targetVisibleSql(scope, 't')} GROUP BY t.folder_id),
    child_folders AS (
      SELECT ch.parent_id AS id, count(*)::int AS n FROM folders ch WHERE ch.parent_id IN (SELECT id FROM sel) AND ch.id IN (SELECT id FROM vis) GROUP BY ch.parent_id)
    SELECT f.id::text AS id, f.parent_id::text AS "parentId", f.name, f.created_at AS "createdAt", f.updated_at AS "updatedAt",
      (SELECT max(c.depth) FROM folder_closure c WHERE c.descendant_id = f.id)::int AS depth,
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name) ORDER BY c.depth DESC), '[]')
         FROM folder_closure c JOIN folders p ON p.id = c.ancestor_id WHERE c.descendant_id = f.id AND c.depth > 0)::text AS path,
      ${treeRightsSql(scope, 'folder', 'f')} AS "treeRights",
      coalesce(cf.n, 0) AS "folderCount", coalesce(dt.n, 0) AS "targetCount", coalesce(ab.n, 0) AS "accountCount"
      FROM sel f
      LEFT JOIN child_folders cf ON cf.id = f.id LEFT JOIN direct_targets dt ON dt.id = f.id LEFT JOIN accounts_below ab ON ab.id = f.id
     ORDER BY depth, f.name, f.id`;
}

function foldersRepo(db: DbClient) {
  return {
    list: async (scope: TreeScope, parentId?: string) =>
      rightsOfRows(
        scope,
        await db.$queryRaw<FolderRow[]>(folderQuery(scope, parentId ? Prisma.sql`f.parent_id = ${parentId}::uuid` : Prisma.sql`TRUE`)),
        (row) => ({
          folderId: row.id,
        }),
      ),

    get: async (scope: TreeScope, id: string): Promise<FolderRow | null> =>
      (await db.$queryRaw<FolderRow[]>(folderQuery(scope, Prisma.sql`f.id = ${id}::uuid`)))[0] ?? null,

    /** The folder's row, locked until the transaction ends (a concurrent rename, move or delete waits). */
    lock: async (id: string) =>
      (
        await db.$queryRaw<{ id: string; parentId: string | null; name: string }[]>`
        SELECT id::text AS id, parent_id::text AS "parentId", name FROM folders WHERE id = ${id}::uuid FOR UPDATE`
      )[0] ?? null,

    create: (data: { parentId: string; name: string }) =>
      db.folder.create({ data, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, `A folder ${data.name} in this folder`)),

    rename: (id: string, name: string) =>
      db.folder.update({ where: { id }, data: { name }, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, `A folder ${name} in this folder`)),

    /** Moves the folder with everything below it; the closure follows by trigger, which refuses a cycle (PM001). */
    move: (id: string, parentId: string, name: string) =>
      db.folder
        .update({ where: { id }, data: { parentId }, select: { id: true } })
        .catch((e: unknown) => mapConstraintError(e, `A folder ${name} in the destination`)),

    /** The folders and targets directly in the folder. */
    children: async (id: string) => [
      ...(await db.folder.findMany({ where: { parentId: id }, select: { id: true } })).map((f) => ({ type: 'folder' as const, id: f.id })),
      ...(await db.target.findMany({ where: { folderId: id }, select: { id: true } })).map((t) => ({ type: 'target' as const, id: t.id })),
    ],

    /** What lies directly in the folder. */
    content: async (id: string) => ({
      folders: await db.folder.count({ where: { parentId: id } }),
      targets: await db.target.count({ where: { folderId: id } }),
    }),

    /** Everything at or below the folder: how many folders, targets and accounts (for the audit trail). */
    subtreeCounts: async (id: string) => {
      const [row] = await db.$queryRaw<{ folders: number; targets: number; accounts: number }[]>`
        SELECT (SELECT count(*)::int FROM folder_closure WHERE ancestor_id = ${id}::uuid) AS folders,
               (SELECT count(*)::int FROM targets WHERE folder_id IN (SELECT descendant_id FROM folder_closure WHERE ancestor_id = ${id}::uuid)) AS targets,
               (SELECT count(*)::int FROM accounts WHERE folder_id IN (SELECT descendant_id FROM folder_closure WHERE ancestor_id = ${id}::uuid)) AS accounts`;
      return row!;
    },

    /** Moves what lies directly in the folder up into `parentId` (a name taken there: 409, nothing moved). */
    moveContentUp: async (id: string, parentId: string) => {
      try {
        await db.$executeRaw`UPDATE folders SET parent_id = ${parentId}::uuid, updated_at = now() WHERE parent_id = ${id}::uuid`;
        await db.$executeRaw`UPDATE targets SET folder_id = ${parentId}::uuid, updated_at = now() WHERE folder_id = ${id}::uuid`;
      } catch (e) {
        mapConstraintError(e, 'A folder or target of the same name in the parent folder');
      }
    },

    /**
     * Deletes the folder and everything below it: its targets first (their accounts, credentials,
     * jobs and host keys go with them), then the folders, deepest first (a folder's parent key refuses otherwise).
     */
    deleteSubtree: async (id: string) => {
      await db.$executeRaw`DELETE FROM targets WHERE folder_id IN (SELECT descendant_id FROM folder_closure WHERE ancestor_id = ${id}::uuid)`;
      const below = await db.$queryRaw<{ id: string }[]>`
        SELECT descendant_id::text AS id FROM folder_closure WHERE ancestor_id = ${id}::uuid ORDER BY depth DESC`;
      for (const folder of below) await db.$executeRaw`DELETE FROM folders WHERE id = ${folder.id}::uuid`;
    },

    delete: (id: string) => db.folder.delete({ where: { id }, select: { id: true } }),

    isBelow: async (id: string, ancestorId: string) => (await db.folderClosure.count({ where: { ancestorId, descendantId: id } })) > 0,
  };
}

export const createFoldersRepo = (db: DbClient) => transactional(db, foldersRepo);
export type FoldersRepo = ReturnType<typeof createFoldersRepo>;
