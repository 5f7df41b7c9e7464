import type { JobState } from '@passman/contracts';
import type { Tx } from '../../../db/transaction.js';
import { JobLostError } from './job-lost-error.js';
import type { RunClaim, StepRecord, WorkerRepo } from './worker.repo.js';

/**
 * Writes a job's timeline and state as a run goes. A state change, the steps that go with it
 * and the notice to listeners (SSE streams, job-events.ts) are one statement. It remembers
 * where the run got to, so that a failure can be judged by it (reset-runner.ts).
 *
 * Each write holds only while the job is still this run's (`claim`); once another run has taken
 * it, the write changes nothing and throws JobLostError — inside a transaction, rolling back what
 * went with it (a promotion) — so that the run stops before it touches the target again.
 */
export function createJobJournal(repo: WorkerRepo, job: { id: string; state: JobState; phase: string }, claim: RunClaim) {
  const position = { state: job.state, phase: job.phase };
  const moved = (change: { state?: JobState; phase?: string }) => {
    if (change.state) position.state = change.state;
    if (change.phase) position.phase = change.phase;
  };
  // With `tx` the position moves before that transaction commits; a commit that fails throws out
  // of the run (discarding a pending version), so nothing acts on the position it left.
  const advance = async (change: { state?: JobState; phase?: string }, steps: StepRecord[], tx?: Tx) => {
    const advanced = await (tx ? repo.within(tx) : repo).advanceJobs([{ jobId: job.id, attempt: claim.attempt, ...change, steps }], claim.workerId);
    if (!advanced.has(job.id)) throw new JobLostError(job.id);
    moved(change);
  };
  return {
    advance,
    /** Tells the journal where a write made elsewhere, with other jobs' (promotions.ts), took the job once it committed. */
    moved,
    step: (step: string, status: StepRecord['status'], detail?: StepRecord['detail'], tx?: Tx) => advance({}, [{ step, status, detail }], tx),
    /** The state and phase this run has written last. */
    position: (): Readonly<{ state: JobState; phase: string }> => ({ ...position }),
  };
}

export type JobJournal = ReturnType<typeof createJobJournal>;
