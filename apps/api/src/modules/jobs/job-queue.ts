/**
 * The job queue is the `jobs` table itself: inserting a job queues it, a worker claims due jobs
 * with FOR UPDATE SKIP LOCKED (worker/queue.repo.ts) and holds them under a lease. There is no
 * second record of when a job runs: its row says it (`state`, `run_after`, `locked_until`).
 */
export interface JobQueue {
  /** The queue new jobs go into and workers take jobs from. */
  readonly name: string;
  /** Where workers open their LISTEN connection (worker/queue-listener.ts). */
  readonly databaseUrl: string;
}

/** The queue of an installation. Test runs that share one database give each test API its own. */
export const DEFAULT_JOB_QUEUE = 'default';

/** Sent by the jobs table's insert trigger, with the queue's name, when new jobs are queued. */
export const JOBS_QUEUED_CHANNEL = 'passman_jobs_queued';

export function createJobQueue(options: { databaseUrl: string; name?: string }): JobQueue {
  return { name: options.name ?? DEFAULT_JOB_QUEUE, databaseUrl: options.databaseUrl };
}
