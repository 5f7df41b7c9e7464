import { Prisma, type JobState } from '@passman/db';
import { runInTransaction, type DbClient } from '../../../db/transaction.js';
import { transactional } from '../../../db/transactional.js';
import { JOB_EVENTS_CHANNEL } from '../job-events.js';

/** What a runner needs of an account: the target with its pinned host keys, the credentials with their live versions. */
export const ACCOUNT_CONTEXT_INCLUDE = {
  target: { include: { hostKeys: { where: { status: 'APPROVED' }, select: { fingerprint: true, approvalMac: true } } } },
  credentials: { include: { versions: { where: { state: { in: ['CURRENT', 'PENDING'] } }, orderBy: { version: 'desc' } } } },
} as const satisfies Prisma.AccountInclude;

/** One entry of a job's timeline, as a run writes it. */
export interface StepRecord {
  step: string;
  status: 'started' | 'done' | 'failed' | 'info';
  detail?: Prisma.InputJsonObject;
}

/**
 * Which run of a job a write comes from: the worker that claimed it and the attempt its claim
 * started (queue.repo `claim`). A worker whose lease lapsed — paused by GC, cut off by the
 * network — may still be running a job that another worker has claimed since; its writes must
 * then change nothing. The worker alone does not tell runs apart: a worker can claim again a
 * job whose lease lapsed under it, while its first run of it is still going.
 */
export interface RunClaim {
  workerId: string;
  attempt: number;
}

/** The end of one run of a job, written together with other jobs' ends (job-completions.ts). */
export interface CompletionRow {
  jobId: string;
  /** The attempt the run claimed: the end is written only while the job is still this run's. */
  attempt: number;
  accountId: string;
  /** null keeps the state (a retry). */
  state: JobState | null;
  phase: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  finished: boolean;
  runAfter: Date | null;
  /** A check's per-credential results, kept on the job. */
  results: Prisma.InputJsonValue | null;
  /** The run's verdict on the account; `checkedAt` null when nothing was checked (its last check's time is kept). */
  accountStatus: { status: 'InSync' | 'NotInSync' | 'Unknown'; statusReason: string | null; checkedAt: Date | null } | null;
  credentialChecks: { id: string; ok: boolean; code: string | null; at: Date }[];
  steps: { step: string; status: string; detail: Prisma.InputJsonValue | null }[];
}

/** Appends timeline steps, in the order given, of the jobs in `held` (a query of job ids) only. */
function insertSteps(steps: { job_id: string; step: string; status: string; detail?: Prisma.InputJsonValue | null }[], held: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO job_steps (job_id, step, status, detail)
    SELECT x.job_id, x.step, x.status, x.detail
      FROM jsonb_to_recordset(${JSON.stringify(steps.map((s, n) => ({ ...s, n })))}::jsonb) AS x(job_id uuid, step text, status text, detail jsonb, n int)
     WHERE x.job_id IN (${held})
     ORDER BY x.n`;
}

/** The notice to job-event listeners (job-events.ts) for a `jobs` row under `alias`; inside a transaction it is sent at commit. */
export function noticeFor(alias: 'j'): Prisma.Sql {
  const row = Prisma.raw(alias);
  return Prisma.sql`pg_notify(${JOB_EVENTS_CHANNEL}, json_build_object('jobId', ${row}.id, 'batchId', ${row}.batch_id)::text)`;
}

/** Account rows locked for an update until the transaction ends, in id order (lock order: db/transaction.ts). */
async function lockAccountRows(db: DbClient, accountIds: string[]): Promise<void> {
  await db.$executeRaw`SELECT 1 FROM accounts WHERE id = ANY(${accountIds}::uuid[]) ORDER BY id FOR NO KEY UPDATE`;
}

function workerRepo(db: DbClient) {
  return {
    loadAccount: (accountId: string) => db.account.findUnique({ where: { id: accountId }, include: ACCOUNT_CONTEXT_INCLUDE }),

    /**
     * Step 6 of resets, inside the caller's transaction: the versions they replace RETIRED (first:
     * at most one CURRENT per credential), the pending ones CURRENT, and each credential's check
     * state — proven by the fresh login when `verified`, unknown otherwise.
     */
    promoteVersions: async (promotions: { credentialId: string; pendingId: string; previousId: string | null; verified: boolean }[], at: Date) => {
      const previousIds = promotions.flatMap((p) => (p.previousId ? [p.previousId] : []));
      if (previousIds.length > 0)
        await db.$executeRaw`UPDATE credential_versions SET state = 'RETIRED', state_changed_at = ${at} WHERE id = ANY(${previousIds}::uuid[])`;
      const credentials = promotions.map((p) => ({ id: p.credentialId, verified: p.verified }));
      await db.$executeRaw`
        WITH promoted AS (UPDATE credential_versions SET state = 'CURRENT', state_changed_at = ${at} WHERE id = ANY(${promotions.map((p) => p.pendingId)}::uuid[]))
        UPDATE credentials c SET last_check_ok = CASE WHEN x.verified THEN true END,
               last_check_code = NULL,
               last_checked_at = CASE WHEN x.verified THEN ${at} ELSE c.last_checked_at END,
               updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(credentials)}::jsonb) AS x(id uuid, verified boolean)
         WHERE c.id = x.id`;
    },

    /** What each account's status and compliance follow from (account-status.ts `accountStandingOf`), by account id. */
    accountStandings: async (accountIds: string[]) => {
      const rows = await db.credential.findMany({
        where: { accountId: { in: accountIds } },
        select: {
          accountId: true,
          type: true,
          slot: true,
          lastCheckOk: true,
          lastCheckCode: true,
          versions: { where: { state: 'CURRENT' }, select: { compliant: true } },
        },
      });
      return new Map(accountIds.map((id) => [id, rows.filter((r) => r.accountId === id)]));
    },

    /**
     * Runs' progress, in one statement: each job's state or phase and the timeline steps that go
     * with it — only for the jobs still held by `workerId` in the attempt each run claimed. A job
     * another worker claimed after this run's lease lapsed is left as it is, and missing from the
     * ids returned. Promotions (promotions.ts) advance many runs at once; a journal one.
     */
    advanceJobs: async (
      runs: { jobId: string; attempt: number; state?: JobState; phase?: string; steps: StepRecord[] }[],
      workerId: string,
    ): Promise<Set<string>> => {
      const changes = runs.map((r) => ({ job_id: r.jobId, attempt: r.attempt, state: r.state ?? null, phase: r.phase ?? null }));
      const rows = await db.$queryRaw<{ id: string }[]>`
        WITH updated AS (
          UPDATE jobs j SET state = coalesce(x.state::job_state, j.state), phase = coalesce(x.phase, j.phase), updated_at = now()
            FROM jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) AS x(job_id uuid, attempt int, state text, phase text)
           WHERE j.id = x.job_id AND j.locked_by = ${workerId} AND j.attempts = x.attempt
          RETURNING j.id, ${noticeFor('j')}
        ), new_steps AS (
          ${insertSteps(
            runs.flatMap((r) => r.steps.map((s) => ({ job_id: r.jobId, ...s }))),
            Prisma.sql`SELECT id FROM updated`,
          )}
        )
        SELECT id::text AS id FROM updated`;
      return new Set(rows.map((r) => r.id));
    },

    /**
     * Ends many runs: check results on credentials and accounts, each account's lease and each
     * job's lease released, the job's final state (or its next `run_after`), its last timeline
     * steps — for the runs that still hold their job (locked by `workerId` in the attempt the run
     * claimed). A run whose job another worker has claimed since changes nothing: its job, the
     * account (status, lease) and the credentials stay as the new run has them. Returns the ids of
     * the jobs it ended. At most one row per account (callers split groups that repeat one).
     *
     * Two statements in one transaction. The first locks the accounts: a claim takes the account's
     * lock with the job, so from then on no other worker can claim these jobs until commit. The
     * second, with a snapshot taken after those locks, reads which jobs are still held and writes
     * the rest; in one statement, a claim that committed while this one waited for an account
     * would be missing from its snapshot, and the job would look still held.
     *
     * Lock order (db/transaction.ts): the accounts first, in id order, then the credentials, then
     * the jobs. PostgreSQL runs a data-modifying CTE when its result is first read (the rest after
     * the main query), so each one below reads the one before it in an uncorrelated sub-select,
     * evaluated once before it touches a row of its own: `ended` (read by the main query) needs
     * `credential_checks`, which needs `account_ends`.
     */
    writeCompletions: (rows: CompletionRow[], workerId: string): Promise<string[]> => {
      const runs = rows.map((r) => ({ job_id: r.jobId, attempt: r.attempt }));
      const credentials = rows.flatMap((r) => r.credentialChecks.map((c) => ({ ...c, job_id: r.jobId })));
      const accounts = rows.map((r) => ({
        account_id: r.accountId,
        job_id: r.jobId,
        status: r.accountStatus?.status ?? null,
        status_reason: r.accountStatus?.statusReason ?? null,
        checked_at: r.accountStatus?.checkedAt ?? null,
      }));
      const steps = rows.flatMap((r) => r.steps.map((s) => ({ job_id: r.jobId, ...s })));
      const jobs = rows.map((r) => ({
        job_id: r.jobId,
        state: r.state,
        phase: r.phase,
        error_code: r.errorCode,
        error_message: r.errorMessage,
        results: r.results,
        run_after: r.runAfter,
        finished: r.finished,
      }));
      return runInTransaction(db, async (tx) => {
        await lockAccountRows(
          tx,
          rows.map((r) => r.accountId),
        );
        const ended = await tx.$queryRaw<{ id: string }[]>`
          WITH held AS (
            SELECT j.id FROM jobs j
              JOIN jsonb_to_recordset(${JSON.stringify(runs)}::jsonb) AS x(job_id uuid, attempt int) ON j.id = x.job_id
             WHERE j.locked_by = ${workerId} AND j.attempts = x.attempt
          ), account_ends AS (
            UPDATE accounts a SET
                   status = coalesce(x.status::account_status, a.status),
                   status_reason = CASE WHEN x.status IS NULL THEN a.status_reason ELSE x.status_reason END,
                   last_checked_at = coalesce(x.checked_at, a.last_checked_at),
                   updated_at = CASE WHEN x.status IS NULL THEN a.updated_at ELSE now() END,
                   locked_by_job_id = CASE WHEN a.locked_by_job_id = x.job_id THEN NULL ELSE a.locked_by_job_id END,
                   lock_expires_at = CASE WHEN a.locked_by_job_id = x.job_id THEN NULL ELSE a.lock_expires_at END
              FROM jsonb_to_recordset(${JSON.stringify(accounts)}::jsonb) AS x(account_id uuid, job_id uuid, status text, status_reason text, checked_at timestamptz)
             WHERE a.id = x.account_id AND x.job_id IN (SELECT id FROM held)
            RETURNING a.id
          ), credential_checks AS (
            UPDATE credentials c SET last_check_ok = x.ok, last_check_code = x.code, last_checked_at = x.at, updated_at = now()
              FROM jsonb_to_recordset(${JSON.stringify(credentials)}::jsonb) AS x(id uuid, job_id uuid, ok boolean, code text, at timestamptz)
             WHERE c.id = x.id AND x.job_id IN (SELECT id FROM held) AND (SELECT count(*) FROM account_ends) >= 0
            RETURNING c.id
          ), new_steps AS (
            ${insertSteps(steps, Prisma.sql`SELECT id FROM held`)}
          ), ended AS (
            UPDATE jobs j SET
                 state = coalesce(x.state::job_state, j.state),
                 phase = coalesce(x.phase, j.phase),
                 error_code = x.error_code,
                 error_message = x.error_message,
                 results = coalesce(x.results, j.results),
                 run_after = coalesce(x.run_after, j.run_after),
                 finished_at = CASE WHEN x.finished THEN now() ELSE j.finished_at END,
                 locked_by = NULL,
                 locked_until = NULL,
                 updated_at = now()
            FROM jsonb_to_recordset(${JSON.stringify(jobs)}::jsonb) AS x(job_id uuid, state text, phase text, error_code text, error_message text, results jsonb, run_after timestamptz, finished boolean)
           WHERE j.id = x.job_id AND j.id IN (SELECT id FROM held) AND (SELECT count(*) FROM credential_checks) >= 0
            RETURNING j.id, ${noticeFor('j')}
          )
          SELECT id::text AS id FROM ended`;
        return ended.map((r) => r.id);
      });
    },

    /** A credential version in any state (a reset's pending one, promoted or failed already). */
    version: (id: string) => db.credentialVersion.findUnique({ where: { id } }),

    /** The newest RETIRED version of a credential older than `version`: what a promotion before a crash replaced. */
    lastRetiredBefore: (credentialId: string, version: number) =>
      db.credentialVersion.findFirst({ where: { credentialId, state: 'RETIRED', version: { lt: version } }, orderBy: { version: 'desc' } }),

    /** A target's managing account with its current credentials. */
    managingAccount: (accountId: string) =>
      db.account.findUnique({ where: { id: accountId }, include: { credentials: { include: { versions: { where: { state: 'CURRENT' } } } } } }),

    /** A pending version that did not take. */
    failVersion: async (id: string) => {
      await db.credentialVersion.update({ where: { id }, data: { state: 'FAILED', stateChangedAt: new Date() } });
    },

    /** A credential's last login attempt failed with `code`. */
    recordCredentialFailure: async (credentialId: string, code: string) => {
      await db.credential.update({ where: { id: credentialId }, data: { lastCheckOk: false, lastCheckCode: code, lastCheckedAt: new Date() } });
    },

    /** A credential's last check says nothing any more about the value it now holds: unknown until the next check. */
    forgetCredentialCheck: async (credentialId: string) => {
      await db.credential.update({ where: { id: credentialId }, data: { lastCheckOk: null, lastCheckCode: null } });
    },

    setAccountStatus: async (accountId: string, status: 'InSync' | 'NotInSync' | 'Unknown', statusReason: string | null) => {
      await db.account.update({ where: { id: accountId }, data: { status, statusReason } });
    },

    /** Step 6 of resets, on their accounts: when each changed, its compliance, and its status (account-status.ts `accountStandingOf`). */
    recordPromotions: async (
      changes: {
        accountId: string;
        at: Date;
        verified: boolean;
        compliance: 'Compliant' | 'Noncompliant' | null;
        status: 'InSync' | 'NotInSync' | 'Unknown';
        statusReason: string | null;
      }[],
    ) => {
      const rows = changes.map((c) => ({
        id: c.accountId,
        at: c.at,
        verified: c.verified,
        compliance: c.compliance,
        status: c.status,
        status_reason: c.statusReason,
      }));
      await db.$executeRaw`
        UPDATE accounts a SET last_changed_at = x.at,
               last_checked_at = CASE WHEN x.verified THEN x.at ELSE a.last_checked_at END,
               compliance = x.compliance::policy_compliance,
               status = x.status::account_status,
               status_reason = x.status_reason,
               updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, at timestamptz, verified boolean, compliance text, status text, status_reason text)
         WHERE a.id = x.id`;
    },

    /** The account rows locked for an update until the transaction ends, in id order (lock order: db/transaction.ts — before their credentials). */
    lockAccounts: (accountIds: string[]) => lockAccountRows(db, accountIds),

    /** Of these runs, the ones whose job is still theirs (RunClaim); read after their accounts are locked, it stays so until commit. */
    heldJobs: async (runs: { jobId: string; attempt: number }[], workerId: string): Promise<Set<string>> => {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT j.id::text AS id FROM jobs j
          JOIN jsonb_to_recordset(${JSON.stringify(runs.map((r) => ({ job_id: r.jobId, attempt: r.attempt })))}::jsonb) AS x(job_id uuid, attempt int) ON j.id = x.job_id
         WHERE j.locked_by = ${workerId} AND j.attempts = x.attempt`;
      return new Set(rows.map((r) => r.id));
    },
  };
}

export const createWorkerRepo = (db: DbClient) => transactional(db, workerRepo);
export type WorkerRepo = ReturnType<typeof createWorkerRepo>;
