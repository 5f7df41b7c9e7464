/**
 * The job rules, defined once for the API, the worker and the web app: which kinds and states
 * a job has, when a job is settled and when a batch is done. Plain values and predicates, no
 * zod, so the web app imports them (`@passman/contracts/job-rules`) without the schema library.
 */

/**
 * The jobs on one account, which the jobs API lists: CHECK proves the stored credentials log in;
 * RESET changes one (on the target unless told not to).
 */
export const ACCOUNT_JOB_KINDS = ['CHECK', 'RESET'] as const;
export type AccountJobKind = (typeof ACCOUNT_JOB_KINDS)[number];
/** Every kind the queue runs: the account jobs, and IMPORT (an import's real run, followed through its import). */
export const JOB_KINDS = [...ACCOUNT_JOB_KINDS, 'IMPORT'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
/** Kinds a bulk request may start. */
export const BULK_JOB_KINDS = ['CHECK', 'RESET'] as const satisfies readonly AccountJobKind[];

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'unverified'] as const;
export type JobState = (typeof JOB_STATES)[number];
/** States a run of a job can end in (the worker's outcomes). */
export const ENDED_JOB_STATES = ['succeeded', 'failed', 'unverified'] as const satisfies readonly JobState[];
export type EndedJobState = (typeof ENDED_JOB_STATES)[number];

/**
 * The error code of an unverified job whose recovery is over: neither the new nor the previous
 * secret logs in, or the target could not be asked (unreachable, timed out …) until the worker's
 * recovery deadline passed; no probe of the worker will settle it, a person has to (reset-outcome.ts:
 * CheckOut with `pending`, then POST /jobs/{id}/confirm-outcome). Any other
 * unverified job is still being recovered — the worker runs it again until the target answers,
 * or until that deadline.
 */
export const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/**
 * A job whose outcome will not change any more: succeeded, failed, or unverified once recovery
 * gave up (OUTCOME_UNKNOWN). An unverified job still being recovered is NOT settled: its secret
 * may yet be promoted, so whoever follows it (an event stream, a screen, a batch) keeps waiting.
 */
export function hasJobSettled(job: { state: JobState; errorCode: string | null }): boolean {
  switch (job.state) {
    case 'succeeded':
    case 'failed':
      return true;
    case 'unverified':
      return job.errorCode === OUTCOME_UNKNOWN;
    case 'queued':
    case 'running':
      return false;
    default:
      return unknownState(job.state);
  }
}

/** Unverified jobs still being recovered: counted apart so that a batch knows it is not done. */
export const isBeingRecovered = (job: { state: JobState; errorCode: string | null }): boolean => job.state === 'unverified' && !hasJobSettled(job);

/** A batch's jobs counted by state; `recovering` are the unverified ones still being recovered (a part of `unverified`). */
export interface BatchCounts {
  queued: number;
  running: number;
  succeeded: number;
  failed: number;
  unverified: number;
  recovering: number;
}

/** Done when every job of the batch is settled (hasJobSettled): none queued, running or still being recovered. */
export const isBatchDone = (counts: Pick<BatchCounts, 'queued' | 'running' | 'recovering'>): boolean =>
  counts.queued + counts.running + counts.recovering === 0;

/** How many jobs of a batch are settled: the ended ones, less the unverified still being recovered. */
export const settledJobCount = (counts: Pick<BatchCounts, 'succeeded' | 'failed' | 'unverified' | 'recovering'>): number =>
  counts.succeeded + counts.failed + counts.unverified - counts.recovering;

function unknownState(state: never): never {
  throw new Error(`unknown job state ${String(state)}`);
}
