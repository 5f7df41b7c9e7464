import type { JobState } from '@passman/db';
import type { DbClient } from '../../../db/transaction.js';
import type { StepRecord } from './run-context.js';
import { createWorkerRepo } from './worker.repo.js';

/**
 * Writes a job's timeline and state as a run goes. A state change, the steps that go with it
 * and the notice to listeners (SSE streams, job-events.ts) are one statement.
 */
export function createJobJournal(db: DbClient, job: { id: string }) {
  const advance = (change: { state?: JobState; phase?: string }, steps: StepRecord[], tx?: DbClient) => createWorkerRepo(tx ?? db).advanceJob(job.id, change, steps);
  return {
    advance,
    step: (step: string, status: StepRecord['status'], detail?: StepRecord['detail'], tx?: DbClient) => advance({}, [{ step, status, detail }], tx),
  };
}

export type JobJournal = ReturnType<typeof createJobJournal>;
