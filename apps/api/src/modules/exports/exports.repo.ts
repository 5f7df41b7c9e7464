import type { AccountStatus } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { containsPattern } from '../../lib/contains-pattern.js';
import { accountAllowedSql, type TreeScope } from '../access/index.js';

export interface ExportFilter {
  folderId?: string;
  recursive?: boolean;
  targetId?: string;
  status?: AccountStatus;
  q?: string;
}

/** An account an export would take, with whether the caller's grants allow checking it out. */
export interface ExportCandidate {
  id: string;
  username: string;
  description: string;
  targetName: string;
  targetAddress: string;
  targetPort: number;
  folderId: string;
  checkout: boolean;
}

function exportsRepo(db: DbClient) {
  return {
    /** The accounts the filters match among those `scope` may view (at most `limit`), in a stable order. */
    candidates: (scope: TreeScope, filter: ExportFilter, limit: number) => {
      const where: Prisma.Sql[] = [accountAllowedSql(scope, 'view', 'a')];
      if (filter.folderId) {
        where.push(
          filter.recursive === false
            ? Prisma.sql`a.folder_id = ${filter.folderId}::uuid`
            : Prisma.sql`a.folder_id IN (SELECT c.descendant_id FROM folder_closure c WHERE c.ancestor_id = ${filter.folderId}::uuid)`,
        );
      }
      if (filter.targetId) where.push(Prisma.sql`a.target_id = ${filter.targetId}::uuid`);
      if (filter.status) where.push(Prisma.sql`a.status = ${filter.status}::account_status`);
      if (filter.q) where.push(Prisma.sql`(a.username ILIKE ${containsPattern(filter.q)} OR a.target_name ILIKE ${containsPattern(filter.q)})`);
      return db.$queryRaw<ExportCandidate[]>`
        SELECT a.id::text AS id, a.username, a.description, a.target_name AS "targetName", t.address AS "targetAddress", t.port AS "targetPort",
               a.folder_id::text AS "folderId", ${accountAllowedSql(scope, 'checkout', 'a')} AS checkout
          FROM accounts a JOIN targets t ON t.id = a.target_id
         WHERE ${Prisma.join(where, ' AND ')}
         ORDER BY a.target_name, a.username, a.id LIMIT ${limit}`;
    },

    /**
     * Locks the accounts until the transaction ends, in id order (lock order: db/transaction.ts,
     * accounts first): a reset cannot promote a new secret between the audit and the read. Returns
     * the ids still there.
     */
    lockAccounts: async (ids: string[]): Promise<string[]> =>
      (await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM accounts WHERE id = ANY (${ids}::uuid[]) ORDER BY id FOR UPDATE`).map((r) => r.id),

    /**
     * Those of the (locked) accounts held checked out now under an exclusive policy (their own, or
     * the default one): as a checkout of them would be, an export is refused until check-in or expiry.
     */
    heldExclusively: async (ids: string[]): Promise<string[]> =>
      (
        await db.$queryRaw<{ id: string }[]>`
          SELECT a.id::text AS id FROM accounts a
            LEFT JOIN LATERAL (SELECT pp.checkout_exclusive FROM policies pp
                                WHERE pp.id = a.policy_id OR (a.policy_id IS NULL AND pp.is_default) LIMIT 1) p ON TRUE
           WHERE a.id = ANY (${ids}::uuid[]) AND COALESCE(p.checkout_exclusive, FALSE)
             AND a.checked_out_by_id IS NOT NULL AND (a.checkout_expires_at IS NULL OR a.checkout_expires_at > now())`
      ).map((r) => r.id),

    /** Each account's credentials with their newest CURRENT version (what a checkout reveals). */
    currentCredentials: (accountIds: string[]) =>
      db.credential.findMany({
        where: { accountId: { in: accountIds } },
        include: { versions: { where: { state: 'CURRENT' }, orderBy: { version: 'desc' }, take: 1 } },
        orderBy: [{ accountId: 'asc' }, { slot: 'asc' }],
      }),

    /** Every folder: an export's groups follow the tree. */
    folders: () => db.folder.findMany({ select: { id: true, parentId: true, name: true } }),
  };
}

export const createExportsRepo = (db: DbClient) => transactional(db, exportsRepo);
export type ExportsRepo = ReturnType<typeof createExportsRepo>;
export type ExportCredential = Awaited<ReturnType<ReturnType<typeof exportsRepo>['currentCredentials']>>[number];
