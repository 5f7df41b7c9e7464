import { Prisma, type JobState } from '@passman/db';
import type { DbClient } from '../../../db/transaction.js';
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

/** The end of one run of a job, written together with other jobs' ends (job-completions.ts). */
export interface CompletionRow {
  jobId: string;
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
  /** A check's verdict on the account. */
  accountStatus: { status: 'InSync' | 'NotInSync' | 'Unknown'; statusReason: string | null; checkedAt: Date } | null;
  credentialChecks: { id: string; ok: boolean; code: string | null; at: Date }[];
  steps: { step: string; status: string; detail: Prisma.InputJsonValue | null }[];
}

/** Appends timeline steps, in the order given. */
function insertSteps(steps: { job_id: string; step: string; status: string; detail?: Prisma.InputJsonValue | null }[]): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO job_steps (job_id, step, status, detail)
    SELECT x.job_id, x.step, x.status, x.detail
      FROM jsonb_to_recordset(${JSON.stringify(steps.map((s, n) => ({ ...s, n })))}::jsonb) AS x(job_id uuid, step text, status text, detail jsonb, n int)
     ORDER BY x.n`;
}

/** The notice to job-event listeners (job-events.ts) for a `jobs` row under `alias`; inside a transaction it is sent at commit. */
export function noticeFor(alias: 'j' | 'updated' | 'ended'): Prisma.Sql {
  const row = Prisma.raw(alias);
  return Prisma.sql`pg_notify(${JOB_EVENTS_CHANNEL}, json_build_object('jobId', ${row}.id, 'batchId', ${row}.batch_id)::text)`;
}

function workerRepo(db: DbClient) {
  return {
    loadAccount: (accountId: string) => db.account.findUnique({ where: { id: accountId }, include: ACCOUNT_CONTEXT_INCLUDE }),

    /**
     * Step 6 of a reset, inside the caller's transaction: the version it replaces RETIRED (first:
     * at most one CURRENT per credential), the pending one CURRENT, and the credential's check
     * state — proven by the fresh login when `verified`, unknown otherwise.
     */
    promoteVersion: async (p: { credentialId: string; pendingId: string; previousId: string | null; at: Date; verified: boolean }) => {
      if (p.previousId) await db.$executeRaw`UPDATE credential_versions SET state = 'RETIRED', state_changed_at = ${p.at} WHERE id = ${p.previousId}::uuid`;
      await db.$executeRaw`
        WITH promoted AS (UPDATE credential_versions SET state = 'CURRENT', state_changed_at = ${p.at} WHERE id = ${p.pendingId}::uuid)
        UPDATE credentials SET last_check_ok = CASE WHEN ${p.verified} THEN true END,
               last_check_code = NULL,
               last_checked_at = CASE WHEN ${p.verified} THEN ${p.at} ELSE last_checked_at END,
               updated_at = now()
         WHERE id = ${p.credentialId}::uuid`;
    },

    /** What an account's status and compliance follow from (account-status.ts `accountStandingOf`). */
    accountStanding: (accountId: string) =>
      db.credential.findMany({
        where: { accountId },
        select: { type: true, slot: true, lastCheckOk: true, lastCheckCode: true, versions: { where: { state: 'CURRENT' }, select: { compliant: true } } },
      }),

    /** A run's progress: the job's state or phase and the timeline steps that go with it, in one statement. */
    advanceJob: async (jobId: string, change: { state?: JobState; phase?: string }, steps: StepRecord[]) => {
      await db.$executeRaw`
        WITH new_steps AS (
          ${insertSteps(steps.map((s) => ({ job_id: jobId, ...s })))}
        ), updated AS (
          UPDATE jobs SET state = coalesce(${change.state ?? null}::job_state, state), phase = coalesce(${change.phase ?? null}, phase), updated_at = now()
           WHERE id = ${jobId}::uuid
          RETURNING id, batch_id
        )
        SELECT ${noticeFor('updated')} FROM updated`;
    },

    /**
     * Ends many runs in one statement: check results on credentials and accounts, each
     * account's lease and each job's lease released (if the run still holds them), the job's
     * final state (or its next `run_after`), its last timeline steps. At most one row per account (callers split groups that repeat one).
     *
     * Lock order (db/transaction.ts): the accounts first, in id order, then the credentials, then
     * the jobs. PostgreSQL runs a data-modifying CTE when its result is first read (the rest after
     * the main query), so each one below reads the one before it in an uncorrelated sub-select,
     * evaluated once before it touches a row of its own: `ended` (read by the main query) needs
     * `credential_checks`, which needs `account_ends`, which needs `locked`.
     */
    writeCompletions: async (rows: CompletionRow[], workerId: string) => {
      const credentials = rows.flatMap((r) => r.credentialChecks);
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
      await db.$executeRaw`
        WITH locked AS (
          SELECT a.id FROM accounts a WHERE a.id = ANY(${rows.map((r) => r.accountId)}::uuid[]) ORDER BY a.id FOR NO KEY UPDATE
        ), account_ends AS (
          UPDATE accounts a SET
                 status = coalesce(x.status::account_status, a.status),
                 status_reason = CASE WHEN x.status IS NULL THEN a.status_reason ELSE x.status_reason END,
                 last_checked_at = coalesce(x.checked_at, a.last_checked_at),
                 updated_at = CASE WHEN x.status IS NULL THEN a.updated_at ELSE now() END,
                 locked_by_job_id = CASE WHEN a.locked_by_job_id = x.job_id THEN NULL ELSE a.locked_by_job_id END,
                 lock_expires_at = CASE WHEN a.locked_by_job_id = x.job_id THEN NULL ELSE a.lock_expires_at END
            FROM jsonb_to_recordset(${JSON.stringify(accounts)}::jsonb) AS x(account_id uuid, job_id uuid, status text, status_reason text, checked_at timestamptz)
           WHERE a.id = x.account_id AND (SELECT count(*) FROM locked) >= 0
          RETURNING a.id
        ), credential_checks AS (
          UPDATE credentials c SET last_check_ok = x.ok, last_check_code = x.code, last_checked_at = x.at, updated_at = now()
            FROM jsonb_to_recordset(${JSON.stringify(credentials)}::jsonb) AS x(id uuid, ok boolean, code text, at timestamptz)
           WHERE c.id = x.id AND (SELECT count(*) FROM account_ends) >= 0
          RETURNING c.id
        ), new_steps AS (
          ${insertSteps(steps)}
        ), ended AS (
          UPDATE jobs j SET
               state = coalesce(x.state::job_state, j.state),
               phase = coalesce(x.phase, j.phase),
               error_code = x.error_code,
               error_message = x.error_message,
               results = coalesce(x.results, j.results),
               run_after = coalesce(x.run_after, j.run_after),
               finished_at = CASE WHEN x.finished THEN now() ELSE j.finished_at END,
               locked_by = CASE WHEN j.locked_by = ${workerId} THEN NULL ELSE j.locked_by END,
               locked_until = CASE WHEN j.locked_by = ${workerId} THEN NULL ELSE j.locked_until END,
               updated_at = now()
          FROM jsonb_to_recordset(${JSON.stringify(jobs)}::jsonb) AS x(job_id uuid, state text, phase text, error_code text, error_message text, results jsonb, run_after timestamptz, finished boolean)
         WHERE j.id = x.job_id AND (SELECT count(*) FROM credential_checks) >= 0
          RETURNING j.id, j.batch_id
        )
        SELECT ${noticeFor('ended')} FROM ended`;
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

    setAccountStatus: async (accountId: string, status: 'InSync' | 'NotInSync' | 'Unknown', statusReason: string | null) => {
      await db.account.update({ where: { id: accountId }, data: { status, statusReason } });
    },

    /** Step 6 of a reset, on the account: when it changed, its compliance, and its status (account-status.ts `accountStandingOf`). */
    recordPromotion: async (
      accountId: string,
      change: {
        at: Date;
        verified: boolean;
        compliance: 'Compliant' | 'Noncompliant' | null;
        status: 'InSync' | 'NotInSync' | 'Unknown';
        statusReason: string | null;
      },
    ) => {
      await db.account.update({
        where: { id: accountId },
        data: {
          lastChangedAt: change.at,
          ...(change.verified ? { lastCheckedAt: change.at } : {}),
          compliance: change.compliance,
          status: change.status,
          statusReason: change.statusReason,
        },
      });
    },

    /** The account row locked for an update until the transaction ends (lock order: db/transaction.ts — before its credentials). */
    lockAccount: async (accountId: string) => {
      await db.$executeRaw`SELECT 1 FROM accounts WHERE id = ${accountId}::uuid FOR NO KEY UPDATE`;
    },
  };
}

export const createWorkerRepo = (db: DbClient) => transactional(db, workerRepo);
export type WorkerRepo = ReturnType<typeof createWorkerRepo>;
