import { isConnectorError } from '@passman/connectors';
import type { JobQueue } from '../job-queue.js';
import { createJobsRepo } from '../jobs.repo.js';
import { createAccountLease } from './account-lease.js';
import { runCheck } from './check-runner.js';
import { isDatabaseUnavailable } from './database-unavailable.js';
import { createJobJournal } from './job-journal.js';
import { runReset } from './reset-runner.js';
import type { RunnerDeps, RunOutcome } from './run-context.js';

export interface JobWorkerOptions {
  /** Jobs run at once by this process (the connector still caps connections per target). */
  concurrency: number;
  /** How long an account lease lasts without renewal; recovery takes over a dead worker's jobs after it. */
  leaseMs: number;
  /** Attempts per job for retryable failures (unreachable, timeout …), with exponential backoff. */
  maxAttempts: number;
  backoffBaseMs: number;
  pollIntervalMs: number;
}

export const DEFAULT_WORKER_OPTIONS: JobWorkerOptions = { concurrency: 32, leaseMs: 60_000, maxAttempts: 4, backoffBaseMs: 2_000, pollIntervalMs: 250 };

export interface JobWorker {
  start(): void;
  /** Stops fetching and waits for the jobs in flight. */
  stop(): Promise<void>;
  /** Finds unfinished jobs nobody holds (after a crash or a lost message) and queues them again. */
  sweep(): Promise<number>;
}

export function createJobWorker(deps: RunnerDeps & { queue: JobQueue }, options: JobWorkerOptions = DEFAULT_WORKER_OPTIONS): JobWorker {
  const lease = createAccountLease(deps.db, options.leaseMs);
  const repo = createJobsRepo(deps.db);
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;

  async function runOne(messageId: string, jobId: string): Promise<void> {
    try {
      await runJob(jobId);
    } catch (error) {
      if (isDatabaseUnavailable(error)) deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) }, jobId }, 'database unavailable: the job runs again once its lease lapses');
      else deps.logger.error({ err: error, jobId }, 'job run crashed');
    } finally {
      await deps.queue.done(messageId).catch(() => undefined);
    }
  }

  async function runJob(jobId: string): Promise<void> {
    const job = await deps.db.job.findUnique({ where: { id: jobId } });
    if (!job || job.state === 'succeeded' || job.state === 'failed') return;
    if (job.state === 'unverified' && job.errorCode === 'OUTCOME_UNKNOWN') return; // waits for an operator or a check
    const wait = job.runAfter.getTime() - Date.now();
    if (wait > 50) return deps.queue.enqueue([jobId], Math.ceil(wait / 1000));
    // Another change holds the account (or another run of this job moved it on): look again in a second.
    if (!(await lease.acquire(job.accountId, job))) return deps.queue.enqueue([jobId], 1);

    const journal = createJobJournal(deps.db, job);
    const renew = setInterval(() => void lease.renew(job.accountId, jobId).catch(() => undefined), options.leaseMs / 3);
    try {
      const attempt = job.attempts + 1;
      await journal.update({ attempts: { increment: 1 }, ...(job.state === 'queued' ? { state: 'running', startedAt: job.startedAt ?? new Date() } : {}) });
      await journal.step('attempt', 'started', { attempt, worker: process.pid });
      const input = { job: { ...job, attempts: attempt }, journal, canRetry: attempt < options.maxAttempts };
      let outcome: RunOutcome;
      try {
        outcome = job.kind === 'CHECK' ? await runCheck(deps, input) : await runReset(deps, input);
      } catch (error) {
        // PostgreSQL went away mid-run: the job is not at fault and its state may be half-written.
        // Leave it as it is (running, phase kept): once its lease lapses the sweep runs it again
        // and the phase says where to resume; failing it here could strand a change on the target.
        if (isDatabaseUnavailable(error)) throw error;
        if (isConnectorError(error) && error.retryable && input.canRetry) {
          const delay = options.backoffBaseMs * 2 ** (attempt - 1);
          await journal.update({ runAfter: new Date(Date.now() + delay), errorCode: error.code, errorMessage: error.message });
          await journal.step('retry', 'info', { code: error.code, inSeconds: Math.round(delay / 1000) });
          await deps.queue.enqueue([jobId], Math.ceil(delay / 1000));
          return;
        }
        outcome = isConnectorError(error)
          ? { state: job.state === 'unverified' ? 'unverified' : 'failed', errorCode: error.code, errorMessage: error.message }
          : { state: 'failed', errorCode: 'INTERNAL', errorMessage: 'PassMan failed unexpectedly; the logs have the details' };
        if (!isConnectorError(error)) deps.logger.error({ err: error, jobId }, 'job failed unexpectedly');
      }
      await journal.update({
        state: outcome.state,
        errorCode: outcome.errorCode ?? null,
        errorMessage: outcome.errorMessage ?? null,
        ...(outcome.state === 'unverified' ? {} : { finishedAt: new Date() }),
      });
    } finally {
      clearInterval(renew);
      await lease.release(job.accountId, jobId).catch(() => undefined);
    }
  }

  async function pump(): Promise<void> {
    while (running) {
      const free = options.concurrency - inFlight.size;
      let fetched = 0;
      if (free > 0) {
        try {
          const messages = await deps.queue.fetch(Math.min(free, 32));
          fetched = messages.length;
          for (const m of messages) {
            const p = runOne(m.messageId, m.jobId).finally(() => {
              inFlight.delete(p);
              wake?.();
            });
            inFlight.add(p);
          }
        } catch (error) {
          deps.logger.warn({ err: error }, 'fetching jobs failed; retrying');
        }
      }
      if (fetched === 0 || inFlight.size >= options.concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  }

  async function sweep(): Promise<number> {
    const now = new Date();
    const stranded = await repo.findStranded(now, new Date(now.getTime() - options.leaseMs), 500);
    await deps.queue.enqueue(stranded.map((j) => j.id));
    return stranded.length;
  }

  return {
    start() {
      running = true;
      loop = pump();
      void sweep().catch(() => undefined);
      sweepTimer = setInterval(() => void sweep().catch((err: unknown) => deps.logger.warn({ err }, 'job sweep failed')), Math.max(1_000, options.leaseMs / 2));
    },
    async stop() {
      running = false;
      wake?.();
      clearInterval(sweepTimer);
      await loop;
      await Promise.all([...inFlight]);
    },
    sweep,
  };
}
