import type { JobState, Prisma } from '@passman/db';
import type { DbClient } from '../../../db/transaction.js';
import { notifyJobChanged } from '../job-events.js';

/** Writes a job's timeline and state, and tells listeners (SSE streams) about each change. */
export function createJobJournal(db: DbClient, job: { id: string; batchId: string | null }) {
  const notify = () => notifyJobChanged(db, { jobId: job.id, batchId: job.batchId });
  return {
    async step(step: string, status: 'started' | 'done' | 'failed' | 'info', detail?: Prisma.InputJsonObject, tx?: DbClient) {
      await (tx ?? db).jobStep.create({ data: { jobId: job.id, step, status, detail } });
      if (!tx) await notify();
    },
    async update(data: { state?: JobState; phase?: string; errorCode?: string | null; errorMessage?: string | null; results?: Prisma.InputJsonValue; runAfter?: Date; startedAt?: Date; finishedAt?: Date; attempts?: { increment: number } }, tx?: DbClient) {
      await (tx ?? db).job.update({ where: { id: job.id }, data });
      if (!tx) await notify();
    },
    notify,
  };
}

export type JobJournal = ReturnType<typeof createJobJournal>;
