import { isBeingRecovered, type BatchCounts } from '@passman/contracts';
import type { JobKind, JobState, Prisma } from '@passman/db';
import { mapVanishedRow, type DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

const jobInclude = {
  steps: { orderBy: { id: 'asc' } },
  account: { select: { id: true, username: true, targetId: true, targetName: true } },
} as const;

export interface JobFilter {
  accountId?: string;
  batchId?: string;
  state?: JobState;
  kind?: JobKind;
}

function jobsRepo(db: DbClient) {
  return {
    get: (id: string) => db.job.findUnique({ where: { id }, include: jobInclude }),

    list: (filter: JobFilter, limit: number, before?: { createdAt: Date; id: string }) =>
      db.job.findMany({
        where: {
          ...filter,
          ...(before ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
        include: jobInclude,
      }),

    create: (data: Prisma.JobUncheckedCreateInput) => db.job.create({ data, include: jobInclude }).catch((e: unknown) => mapVanishedRow(e, 'Account')),

    createMany: (data: Prisma.JobCreateManyInput[]) => db.job.createMany({ data }).catch((e: unknown) => mapVanishedRow(e, 'Account')),

    /** Accounts left out of a batch (deleted while it was being stored). */
    shrinkBatch: (batchId: string, by: number) => db.jobBatch.update({ where: { id: batchId }, data: { total: { decrement: by } }, select: { id: true } }),

    createBatch: (data: { id: string; kind: JobKind; requestedById: string | null; total: number }) => db.jobBatch.create({ data }),

    getBatch: (id: string) => db.jobBatch.findUnique({ where: { id } }),

    /** The batch's jobs by state, and the unverified ones still being recovered (job-rules `isBeingRecovered`). */
    batchCounts: async (batchId: string): Promise<BatchCounts> => {
      const rows = await db.job.groupBy({ by: ['state', 'errorCode'], where: { batchId }, _count: { _all: true } });
      const counts = { queued: 0, running: 0, succeeded: 0, failed: 0, unverified: 0, recovering: 0 };
      for (const row of rows) {
        counts[row.state] += row._count._all;
        if (isBeingRecovered(row)) counts.recovering += row._count._all;
      }
      return counts;
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

    usernames: async (ids: string[]) => {
      const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
      return new Map(users.map((u) => [u.id, u.username]));
    },
  };
}

export const createJobsRepo = (db: DbClient) => transactional(db, jobsRepo);
export type JobsRepo = ReturnType<typeof createJobsRepo>;
export type JobRow = NonNullable<Awaited<ReturnType<JobsRepo['get']>>>;
