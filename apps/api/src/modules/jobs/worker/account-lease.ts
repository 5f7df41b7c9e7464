import type { DbClient } from '../../../db/transaction.js';

/**
 * One change per account at a time: a job holds the account through a lease it renews while
 * it works. A worker that dies stops renewing, and the lease lapses for recovery to take over.
 */
export function createAccountLease(db: DbClient, leaseMs: number) {
  return {
    /**
     * Takes the account for one run of `job`, as it was read (`updatedAt`). Not re-entrant: a
     * duplicate message for the same job waits like any other change. And only if the job row
     * is unchanged since it was read, so a run never works from a stale phase (another run of
     * the job may have finished or moved it on between the read and the lease).
     */
    async acquire(accountId: string, job: { id: string; updatedAt: Date }): Promise<boolean> {
      const until = new Date(Date.now() + leaseMs);
      const count = await db.$executeRaw`
        UPDATE accounts SET locked_by_job_id = ${job.id}::uuid, lock_expires_at = ${until}
         WHERE id = ${accountId}::uuid
           AND (locked_by_job_id IS NULL OR lock_expires_at < now())
           AND EXISTS (SELECT 1 FROM jobs WHERE id = ${job.id}::uuid AND updated_at = ${job.updatedAt})`;
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
