import { isBeingRecovered, OUTCOME_UNKNOWN, type AccountJobKind, type BatchCounts } from '@passman/contracts';
import { Prisma, type JobKind, type JobState } from '@passman/db';
import { accountAllowedSql, type TreeScope } from '../access/index.js';
import { mapVanishedRow, type DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { noticeFor } from './worker/worker.repo.js';

const jobInclude = {
  steps: { orderBy: { id: 'asc' } },
  account: { select: { id: true, username: true, targetId: true, targetName: true } },
} as const;

export interface JobFilter {
  accountId?: string;
  batchId?: string;
  state?: JobState;
  kind?: JobKind;
  since?: string;
}

function jobsRepo(db: DbClient) {
  return {
    /** A job on an account (an IMPORT job is followed through its import, not here). */
    get: async (id: string) => accountJob(await db.job.findUnique({ where: { id }, include: jobInclude })),

    /** Newest first, only jobs on accounts `scope` may see: the page's ids in one query, then their rows. */
    list: async (scope: TreeScope, filter: JobFilter, limit: number, before?: { createdAt: Date; id: string }) => {
      const where: Prisma.Sql[] = [accountAllowedSql(scope, 'view', 'a')];
      if (filter.accountId) where.push(Prisma.sql`j.account_id = ${filter.accountId}::uuid`);
      if (filter.batchId) where.push(Prisma.sql`j.batch_id = ${filter.batchId}::uuid`);
      if (filter.state) where.push(Prisma.sql`j.state = ${filter.state}::job_state`);
      if (filter.kind) where.push(Prisma.sql`j.kind = ${filter.kind}::job_kind`);
      if (filter.since) where.push(Prisma.sql`j.created_at >= ${filter.since}::timestamptz`);
      if (before) where.push(Prisma.sql`(j.created_at, j.id) < (${before.createdAt}::timestamptz, ${before.id}::uuid)`);
      const ids = await db.$queryRaw<{ id: string }[]>`
        SELECT j.id::text AS id FROM jobs j JOIN accounts a ON a.id = j.account_id
         WHERE ${Prisma.join(where, ' AND ')} ORDER BY j.created_at DESC, j.id DESC LIMIT ${limit}`;
      if (ids.length === 0) return [];
      const rows = await db.job.findMany({
        where: { id: { in: ids.map((r) => r.id) } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        include: jobInclude,
      });
      return rows.flatMap((row) => accountJob(row) ?? []);
    },

    /** Whether a batch has a job on an account `scope` may see. */
    batchVisible: async (scope: TreeScope, batchId: string) => {
      const rows = await db.$queryRaw<{ ok: boolean }[]>`
        SELECT EXISTS (SELECT 1 FROM jobs j JOIN accounts a ON a.id = j.account_id WHERE j.batch_id = ${batchId}::uuid AND ${accountAllowedSql(scope, 'view', 'a')}) AS ok`;
      return rows[0]?.ok ?? false;
    },

    create: (data: Prisma.JobUncheckedCreateInput) => db.job.create({ data, include: jobInclude }).catch((e: unknown) => mapVanishedRow(e, 'Account')),

    createMany: (data: Prisma.JobCreateManyInput[]) => db.job.createMany({ data }).catch((e: unknown) => mapVanishedRow(e, 'Account')),

    /** Accounts left out of a batch (deleted while it was being stored). */
    shrinkBatch: (batchId: string, by: number) => db.jobBatch.update({ where: { id: batchId }, data: { total: { decrement: by } }, select: { id: true } }),

    createBatch: (data: { id: string; kind: JobKind; requestedById: string | null; total: number }) => db.jobBatch.create({ data }),

    /** A batch of jobs on accounts (the only kinds a batch has). */
    getBatch: async (id: string) => {
      const row = await db.jobBatch.findUnique({ where: { id } });
      return row && row.kind !== 'IMPORT' ? { ...row, kind: row.kind } : null;
    },

    /**
     * The batch's jobs by state, and the unverified ones still being recovered (job-rules
     * `isBeingRecovered`), counting only jobs on accounts `scope` may see; `hidden`: how many it may not.
     */
    batchCounts: async (scope: TreeScope, batchId: string): Promise<{ counts: BatchCounts; hidden: number }> => {
      const rows = await db.$queryRaw<{ state: JobState; errorCode: string | null; visible: boolean; n: number }[]>`
        SELECT j.state, j.error_code AS "errorCode", ${accountAllowedSql(scope, 'view', 'a')} AS visible, count(*)::int AS n
          FROM jobs j JOIN accounts a ON a.id = j.account_id WHERE j.batch_id = ${batchId}::uuid GROUP BY 1, 2, 3`;
      const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, unverified: 0, recovering: 0 };
      let hidden = 0;
      for (const row of rows) {
        if (!row.visible) {
          hidden += row.n;
          continue;
        }
        counts[row.state] += row.n;
        if (isBeingRecovered(row)) counts.recovering += row.n;
      }
      return { counts, hidden };
    },

    /** What starting a job on an account needs: its status, policy and credential slots. */
    jobSubjects: (accountIds: string[]) =>
      db.account.findMany({
        where: { id: { in: accountIds } },
        select: { id: true, status: true, policyId: true, credentials: { select: { id: true, type: true, slot: true } } },
      }),

    /**
     * Locks the accounts' rows until the transaction ends, in id order so that concurrent requests
     * cannot deadlock (lock order: db/transaction.ts); returns the ids that exist. `update` for a
     * change of the accounts (resets), `key-share` to only keep them from being deleted while jobs
     * referring to them are stored (checks: it does not wait for, nor block, status updates).
     */
    lockAccounts: async (accountIds: string[], mode: 'update' | 'key-share' = 'update'): Promise<string[]> => {
      const rows =
        mode === 'update'
          ? await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM accounts WHERE id = ANY(${accountIds}::uuid[]) ORDER BY id FOR UPDATE`
          : await db.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM accounts WHERE id = ANY(${accountIds}::uuid[]) ORDER BY id FOR KEY SHARE`;
      return rows.map((r) => r.id);
    },

    /** Account id → its status now (read after lockAccounts, it stays so until commit). */
    accountStatuses: async (accountIds: string[]) => {
      const rows = await db.account.findMany({ where: { id: { in: accountIds } }, select: { id: true, status: true } });
      return new Map(rows.map((r) => [r.id, r.status]));
    },

    /** An account's status and why, as it is now. */
    accountStatus: (accountId: string) => db.account.findUnique({ where: { id: accountId }, select: { status: true, statusReason: true } }),

    /** Account id → the RESET job not yet settled on it. */
    resetsInProgress: async (accountIds: string[]) => {
      const rows = await db.job.findMany({
        where: { accountId: { in: accountIds }, kind: 'RESET', state: { in: ['queued', 'running', 'unverified'] } },
        select: { id: true, accountId: true },
      });
      return new Map(rows.map((r) => [r.accountId, r.id]));
    },

    /** Credential id → its highest version number. */
    latestVersions: async (credentialIds: string[]) => {
      if (credentialIds.length === 0) return new Map<string, number>();
      const rows = await db.credentialVersion.groupBy({ by: ['credentialId'], where: { credentialId: { in: credentialIds } }, _max: { version: true } });
      return new Map(rows.map((r) => [r.credentialId, r._max.version ?? 0]));
    },

    /** Step 1 of many resets: new credentials, PENDING versions, jobs and their first steps. */
    storeResets: async (data: {
      credentials: Prisma.CredentialCreateManyInput[];
      versions: Prisma.CredentialVersionCreateManyInput[];
      jobs: Prisma.JobCreateManyInput[];
      steps: Prisma.JobStepCreateManyInput[];
    }) => {
      try {
        if (data.credentials.length > 0) await db.credential.createMany({ data: data.credentials });
        if (data.versions.length > 0) await db.credentialVersion.createMany({ data: data.versions });
        if (data.jobs.length > 0) await db.job.createMany({ data: data.jobs });
        if (data.steps.length > 0) await db.jobStep.createMany({ data: data.steps });
      } catch (error) {
        mapVanishedRow(error, 'Account');
      }
    },

    /**
     * A RESET whose outcome is unknown (unverified, OUTCOME_UNKNOWN) with its credential's
     * PENDING and CURRENT versions and its account's status, or null when the job is not such a
     * reset (any more). Read after the account is locked (lockAccounts): it stays so until commit.
     * `busyWith`: another job holding the account's lease now (a check running on it).
     */
    awaitingConfirmation: async (jobId: string) => {
      const job = await db.job.findFirst({
        where: { id: jobId, kind: 'RESET', state: 'unverified', errorCode: OUTCOME_UNKNOWN },
        select: { id: true, accountId: true, credentialId: true, pendingVersionId: true },
      });
      if (!job?.accountId || !job.credentialId || !job.pendingVersionId) return null;
      const credential = await db.credential.findUnique({
        where: { id: job.credentialId },
        select: {
          id: true,
          type: true,
          slot: true,
          versions: { where: { state: { in: ['PENDING', 'CURRENT'] } }, select: { id: true, version: true, state: true, publicKey: true } },
        },
      });
      const pending = credential?.versions.find((v) => v.id === job.pendingVersionId && v.state === 'PENDING');
      if (!credential || !pending) return null;
      const [account] = await db.$queryRaw<{ status: 'InSync' | 'NotInSync' | 'Unknown'; statusReason: string | null; busyWith: string | null }[]>`
        SELECT status::text AS status, status_reason AS "statusReason",
               CASE WHEN locked_by_job_id IS NOT NULL AND locked_by_job_id <> ${job.id}::uuid AND lock_expires_at >= now() THEN locked_by_job_id::text END AS "busyWith"
          FROM accounts WHERE id = ${job.accountId}::uuid`;
      if (!account) return null;
      const previous = credential.versions.find((v) => v.state === 'CURRENT') ?? null;
      return {
        jobId: job.id,
        accountId: job.accountId,
        credential: { id: credential.id, type: credential.type, slot: credential.slot },
        pending,
        previous,
        account,
      };
    },

    /**
     * Settles a RESET awaiting confirmation for good, with the timeline step saying who confirmed
     * what, and tells the job's listeners at commit. Only while it still awaits one: false when
     * another confirmation settled it first.
     */
    settleConfirmed: async (
      jobId: string,
      end: { state: 'succeeded' | 'failed'; phase: string | null; errorCode: string | null; errorMessage: string | null },
      step: Prisma.InputJsonObject,
    ): Promise<boolean> => {
      const rows = await db.$queryRaw<{ id: string }[]>`
        WITH settled AS (
          UPDATE jobs j SET state = ${end.state}::job_state, phase = coalesce(${end.phase}, j.phase), error_code = ${end.errorCode},
                 error_message = ${end.errorMessage}, run_after = now(), finished_at = now(), updated_at = now()
           WHERE j.id = ${jobId}::uuid AND j.state = 'unverified' AND j.error_code = ${OUTCOME_UNKNOWN}
          RETURNING j.id, ${noticeFor('j')}
        ), confirmed AS (
          INSERT INTO job_steps (job_id, step, status, detail) SELECT id, 'confirm', 'done', ${JSON.stringify(step)}::jsonb FROM settled
        )
        SELECT id::text AS id FROM settled`;
      return rows.length > 0;
    },

    usernames: async (ids: string[]) => {
      const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
      return new Map(users.map((u) => [u.id, u.username]));
    },
  };
}

export const createJobsRepo = (db: DbClient) => transactional(db, jobsRepo);
export type JobsRepo = ReturnType<typeof createJobsRepo>;
type StoredJobRow = Prisma.JobGetPayload<{ include: typeof jobInclude }>;
/** A job on an account, with its account: what the jobs API shows. */
export type JobRow = StoredJobRow & { kind: AccountJobKind; accountId: string; account: NonNullable<StoredJobRow['account']> };

function accountJob(row: StoredJobRow | null): JobRow | null {
  return row && row.account && row.accountId !== null && row.kind !== 'IMPORT' ? (row as JobRow) : null;
}
