import type { PolicyCompliance } from '@passman/contracts';
import type { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

/** Accounts whose compliance a policy change touches: on one of `policyIds`, following the default policy (none of their own), or named. */
export interface AccountScope {
  policyIds?: string[];
  followsDefault?: boolean;
  accountIds?: string[];
}

const inScope = (scope: AccountScope): Prisma.AccountWhereInput => ({
  OR: [
    ...(scope.policyIds?.length ? [{ policyId: { in: scope.policyIds } }] : []),
    ...(scope.followsDefault ? [{ policyId: null }] : []),
    ...(scope.accountIds?.length ? [{ id: { in: scope.accountIds } }] : []),
  ],
});

function complianceRepo(db: DbClient) {
  return {
    /**
     * A page of the accounts in `scope` (by id, after `afterId`) with the secrets their compliance
     * follows: CURRENT versions, and PENDING ones (a reset in progress promotes them with their flag).
     */
    secretsToAssess: (scope: AccountScope, afterId: string | null, limit: number) =>
      db.account.findMany({
        where: { AND: [inScope(scope), afterId ? { id: { gt: afterId } } : {}] },
        orderBy: { id: 'asc' },
        take: limit,
        select: {
          id: true,
          policyId: true,
          compliance: true,
          credentials: {
            select: {
              type: true,
              sshKeyType: true,
              versions: {
                where: { state: { in: ['CURRENT', 'PENDING'] } },
                select: {
                  id: true,
                  credentialId: true,
                  version: true,
                  state: true,
                  ciphertext: true,
                  wrappedKey: true,
                  keyVersion: true,
                  keyBits: true,
                  compliant: true,
                },
              },
            },
          },
        },
      }),
    setVersionsCompliant: (versionIds: string[], compliant: boolean | null) =>
      versionIds.length > 0 ? db.credentialVersion.updateMany({ where: { id: { in: versionIds } }, data: { compliant } }) : undefined,
    setAccountsCompliance: (accountIds: string[], compliance: PolicyCompliance | null) =>
      accountIds.length > 0 ? db.account.updateMany({ where: { id: { in: accountIds } }, data: { compliance } }) : undefined,
  };
}

export const createComplianceRepo = (db: DbClient) => transactional(db, complianceRepo);
export type ComplianceRepo = ReturnType<typeof createComplianceRepo>;
