import { Prisma } from '@passman/db';
import { accountAllowedSql, type TreeScope } from '../access/index.js';
import { mapConstraintError, type DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

const withCount = { _count: { select: { accounts: true } } } as const;

/** How many accounts of each policy `scope` may see. */
const visibleCountsSql = (scope: TreeScope, policyIds: string[]) => Prisma.sql`
  SELECT a.policy_id::text AS "policyId", count(*)::int AS n FROM accounts a
   WHERE a.policy_id = ANY(${policyIds}::uuid[]) AND ${accountAllowedSql(scope, 'view', 'a')} GROUP BY a.policy_id`;

function policiesRepo(db: DbClient) {
  return {
    list: (limit: number, afterName?: string) =>
      db.policy.findMany({
        where: afterName !== undefined ? { name: { gt: afterName } } : undefined,
        orderBy: { name: 'asc' },
        take: limit,
        include: withCount,
      }),
    get: (id: string) => db.policy.findUnique({ where: { id }, include: withCount }),

    visibleAccountCounts: async (scope: TreeScope, policyIds: string[]): Promise<Map<string, number>> =>
      new Map((await db.$queryRaw<{ policyId: string; n: number }[]>(visibleCountsSql(scope, policyIds))).map((r) => [r.policyId, r.n])),
    getDefault: () => db.policy.findFirst({ where: { isDefault: true }, include: withCount }),
    create: (data: Prisma.PolicyCreateInput) =>
      db.policy.create({ data, include: withCount }).catch((e: unknown) => mapConstraintError(e, `Policy ${data.name}`)),
    update: (id: string, data: Prisma.PolicyUpdateInput) =>
      db.policy.update({ where: { id }, data, include: withCount }).catch((e: unknown) => mapConstraintError(e, 'Policy')),
    clearDefault: () => db.policy.updateMany({ where: { isDefault: true }, data: { isDefault: false } }),
    delete: (id: string) => db.policy.delete({ where: { id } }).catch((e: unknown) => mapConstraintError(e, 'Policy')),
  };
}

export const createPoliciesRepo = (db: DbClient) => transactional(db, policiesRepo);
export type PoliciesRepo = ReturnType<typeof createPoliciesRepo>;
export type PolicyRow = NonNullable<Awaited<ReturnType<PoliciesRepo['get']>>>;
