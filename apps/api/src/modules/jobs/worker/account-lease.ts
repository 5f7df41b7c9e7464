import type { DbClient } from '../../../db/transaction.js';

/**
 * One change per account at a time: a job holds the account through a lease it renews while
 * it works. A worker that dies stops renewing, and the lease lapses for recovery to take over.
 */
export function createAccountLease(db: DbClient, leaseMs: number) {
  return {
    async acquire(accountId: string, jobId: string): Promise<boolean> {
      const until = new Date(Date.now() + leaseMs);
      const count = await db.$executeRaw`
        UPDATE accounts SET locked_by_job_id = ${jobId}::uuid, lock_expires_at = ${until}
         WHERE id = ${accountId}::uuid
           AND (locked_by_job_id IS NULL OR locked_by_job_id = ${jobId}::uuid OR lock_expires_at < now())`;
      return count === 1;
    },
    async renew(accountId: string, jobId: string): Promise<void> {
      await db.account.updateMany({ where: { id: accountId, lockedByJobId: jobId }, data: { lockExpiresAt: new Date(Date.now() + leaseMs) } });
    },
    async release(accountId: string, jobId: string): Promise<void> {
      await db.account.updateMany({ where: { id: accountId, lockedByJobId: jobId }, data: { lockedByJobId: null, lockExpiresAt: null } });
    },
  };
}

export type AccountLease = ReturnType<typeof createAccountLease>;
