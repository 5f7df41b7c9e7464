import type { JobState } from '@passman/db';
import type { DbClient } from '../../../db/transaction.js';
import { notifyJobChanged } from '../job-events.js';
import type { StepRecord } from './run-context.js';
import { createWorkerRepo } from './worker.repo.js';

/**
 * Writes a job's timeline and state as a run goes, and tells listeners (SSE streams) about
 * each change. A state change and the steps that go with it are one statement.
 */
export function createJobJournal(db: DbClient, job: { id: string; batchId: string | null }) {
  const notify = () => notifyJobChanged(db, { jobId: job.id, batchId: job.batchId });
  /** Inside a transaction (`tx`), the caller notifies after commit. */
  async function advance(change: { state?: JobState; phase?: string }, steps: StepRecord[], tx?: DbClient) {
    await createWorkerRepo(tx ?? db).advanceJob(job.id, change, steps);
    if (!tx) await notify();
  }
  return {
    advance,
    step: (step: string, status: StepRecord['status'], detail?: StepRecord['detail'], tx?: DbClient) => advance({}, [{ step, status, detail }], tx),
    notify,
  };
}

export type JobJournal = ReturnType<typeof createJobJournal>;
