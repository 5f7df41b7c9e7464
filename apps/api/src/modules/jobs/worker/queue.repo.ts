import { OUTCOME_UNKNOWN, type AccountJobKind } from '@passman/contracts';
import type { DbClient } from '../../../db/transaction.js';
import { ACCOUNT_CONTEXT_INCLUDE, noticeFor } from './worker.repo.js';

/**
 * The queue side of the jobs table: claiming due jobs and keeping them. A claim and a heartbeat
 * are one statement each; the end of a run is written by worker.repo `writeCompletions`, which
 * also gives the job's and the account's leases back.
 */
export function createQueueRepo(db: DbClient) {
  return {
    /**
     * Starts up to `max` due jobs of `queue` in one statement, for the worker `workerId`:
     *  - due: queued or running (its worker died: its lease lapsed), or unverified and still
     *    being recovered (job-rules `isBeingRecovered`); `run_after` passed; no live lease;
     *  - one per account, and only where the account is free: the account's lease (one change per
     *    account at a time) is taken with the job's; a job without an account (IMPORT) has only its own;
     *  - each gets one more attempt, the state `running`, the lease, and an "attempt started" step.
     * Rows another worker is claiming are skipped, not waited for (FOR UPDATE SKIP LOCKED), so
     * workers never block each other nor take the same job. A job row is read in its newest
     * version once locked, so a run never starts from a phase another run has moved past.
     */
    claim: async (p: { queue: string; workerId: string; workerPid: number; max: number; leaseMs: number }): Promise<string[]> => {
      const rows = await db.$queryRaw<{ id: string }[]>`
        WITH due AS (
          SELECT j.id, j.account_id, j.run_after FROM jobs j
           WHERE j.queue = ${p.queue}
             AND (j.state IN ('queued', 'running') OR (j.state = 'unverified' AND j.error_code IS DISTINCT FROM ${OUTCOME_UNKNOWN}))
             AND j.run_after <= now()
             AND (j.locked_until IS NULL OR j.locked_until < now())
             AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = j.account_id AND a.locked_by_job_id <> j.id AND a.lock_expires_at >= now())
           ORDER BY j.run_after, j.id
           LIMIT ${p.max}
           FOR UPDATE OF j SKIP LOCKED
        ), wanted AS (
          SELECT DISTINCT ON (account_id) id, account_id FROM due WHERE account_id IS NOT NULL ORDER BY account_id, run_after, id
        ), free AS (
          SELECT a.id FROM accounts a JOIN wanted w ON w.account_id = a.id
           WHERE a.locked_by_job_id IS NULL OR a.locked_by_job_id = w.id OR a.lock_expires_at < now()
           ORDER BY a.id
           FOR UPDATE OF a SKIP LOCKED
        ), leased AS (
          UPDATE accounts a SET locked_by_job_id = w.id, lock_expires_at = now() + ${p.leaseMs} * interval '1 millisecond'
            FROM wanted w
           WHERE a.id = w.account_id AND a.id IN (SELECT id FROM free)
          RETURNING w.id AS job_id
        ), started AS (
          UPDATE jobs j SET attempts = j.attempts + 1,
                 state = CASE WHEN j.state = 'queued' THEN 'running'::job_state ELSE j.state END,
                 locked_by = ${p.workerId},
                 locked_until = now() + ${p.leaseMs} * interval '1 millisecond',
                 started_at = coalesce(j.started_at, now()),
                 updated_at = now()
           WHERE j.id IN (SELECT job_id FROM leased) OR j.id IN (SELECT id FROM due WHERE account_id IS NULL)
          RETURNING j.id, j.attempts, ${noticeFor('j')}
        ), steps AS (
          INSERT INTO job_steps (job_id, step, status, detail)
          SELECT id, 'attempt', 'started', jsonb_build_object('attempt', attempts, 'worker', ${p.workerPid}::int) FROM started
        )
        SELECT id::text AS id FROM started`;
      return rows.map((r) => r.id);
    },

    /** The claimed jobs, each with its account's context, in one joined query. */
    loadClaimed: (jobIds: string[]) => db.job.findMany({ where: { id: { in: jobIds } }, include: { account: { include: ACCOUNT_CONTEXT_INCLUDE } } }),

    /**
     * The worker's one heartbeat: renews the leases of the jobs it is running, and of their
     * accounts, in one statement — however many jobs it runs. A job it holds but no longer runs
     * (its end could not be written: PostgreSQL was away) is left to lapse, so it runs again.
     * A job it runs but no longer holds (it stalled past its lease and another worker claimed the
     * job, or the job was ended) is not renewed, nor is its account: the account's lease is the
     * holder's to keep, and kept by a worker whose run will write nothing it would block others.
     * (A claim that commits while this waits for an account's lock can still pass the join; the
     * lease renewed then is that of the job the claim holds, which is alive.)
     *
     * Lock order (db/transaction.ts): the accounts first, in id order, then the jobs — as the end
     * of a run (worker.repo `writeCompletions`) takes them; the other order deadlocks with it.
     * The jobs' update reads `renewed` in an uncorrelated sub-select, so it runs after it.
     */
    heartbeat: async (workerId: string, running: string[], leaseMs: number): Promise<void> => {
      if (running.length === 0) return;
      await db.$executeRaw`
        WITH locked AS (
          SELECT a.id FROM accounts a JOIN jobs j ON j.id = a.locked_by_job_id
           WHERE j.id = ANY(${running}::uuid[]) AND j.locked_by = ${workerId}
           ORDER BY a.id
           FOR NO KEY UPDATE OF a
        ), renewed AS (
          UPDATE accounts a SET lock_expires_at = now() + ${leaseMs} * interval '1 millisecond'
           WHERE a.id IN (SELECT id FROM locked)
          RETURNING a.id
        )
        UPDATE jobs SET locked_until = now() + ${leaseMs} * interval '1 millisecond'
         WHERE locked_by = ${workerId} AND id = ANY(${running}::uuid[]) AND (SELECT count(*) FROM renewed) >= 0`;
    },
  };
}

export type QueueRepo = ReturnType<typeof createQueueRepo>;
export type ClaimedJob = Awaited<ReturnType<QueueRepo['loadClaimed']>>[number];
/** A job's row, as a run reads it. */
export type JobRecord = Omit<ClaimedJob, 'account'>;
/** The row of a job on one account (CHECK, RESET). */
export type AccountJobRecord = JobRecord & { accountId: string; kind: AccountJobKind };
