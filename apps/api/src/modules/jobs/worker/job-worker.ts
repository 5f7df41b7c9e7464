import { isConnectorError } from '@passman/connectors';
import { hasJobSettled } from '@passman/contracts';
import type { JobQueue } from '../job-queue.js';
import { createJobsRepo } from '../jobs.repo.js';
import { toAccountContext, type AccountContext } from './account-access.js';
import { runCheck } from './check-runner.js';
import { isDatabaseUnavailable } from '../../../db/database-unavailable.js';
import { createJobCompletions, type JobEnd } from './job-completions.js';
import { createJobJournal } from './job-journal.js';
import { runReset } from './reset-runner.js';
import type { JobRecord, RunInput, RunnerDeps, RunOutcome } from './run-context.js';
import { createWorkerRepo, type ClaimedJob, type ClaimRow } from './worker.repo.js';

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
  const repo = createWorkerRepo(deps.db);
  const jobsRepo = createJobsRepo(deps.db);
  const completions = createJobCompletions(deps);
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let offEnqueued: (() => void) | undefined;
  // Acknowledged in groups by the queue, without holding anyone's slot meanwhile; it drains them when it stops.
  const ack = (messageId: string) => void deps.queue.done(messageId).catch(() => undefined);

  /**
   * Starts, in one statement, every offered job that can run now (worker.repo `claim`), and
   * sends the others back: finished ones are dropped, early ones come back when due, and
   * those whose account is busy come back a second later.
   */
  async function dispatch(messages: { messageId: string; jobId: string }[]): Promise<void> {
    const byJob = new Map<string, string>();
    for (const m of messages) {
      if (byJob.has(m.jobId)) ack(m.messageId); // a duplicate message: one run is enough
      else byJob.set(m.jobId, m.messageId);
    }
    let claims: ClaimRow[];
    let claimed: ClaimedJob[];
    try {
      claims = await repo.claim([...byJob.keys()], options.leaseMs, process.pid);
      const started = claims.filter((c) => c.started).map((c) => c.id);
      claimed = started.length > 0 ? await repo.loadClaimed(started) : [];
    } catch (error) {
      // Nothing started (or leases taken that lapse): the sweep offers these jobs again.
      deps.logger.warn({ err: isDatabaseUnavailable(error) ? { message: String(error) } : error }, 'starting jobs failed; the sweep offers them again');
      for (const messageId of byJob.values()) ack(messageId);
      return;
    }
    const later = new Map<number, string[]>();
    for (const claim of claims) {
      if (claim.started) continue;
      if (!hasJobSettled(claim)) {
        const wait = claim.runAfter.getTime() - Date.now();
        const delay = wait > 50 ? Math.ceil(wait / 1000) : 1;
        later.set(delay, (later.get(delay) ?? []).concat(claim.id));
      }
    }
    await Promise.all([...later].map(([delay, ids]) => deps.queue.enqueue(ids, delay))).catch((err: unknown) => deps.logger.warn({ err }, 're-queueing jobs failed; the sweep offers them again'));
    for (const job of claimed) {
      const messageId = byJob.get(job.id)!;
      byJob.delete(job.id);
      const run = runClaimed(messageId, job).finally(() => {
        inFlight.delete(run);
        wake?.();
      });
      inFlight.add(run);
    }
    for (const messageId of byJob.values()) ack(messageId);
  }

  async function runClaimed(messageId: string, claimed: ClaimedJob): Promise<void> {
    const { account, ...job } = claimed;
    const renew = setInterval(() => void repo.renewLease(job.accountId, job.id, options.leaseMs).catch(() => undefined), options.leaseMs / 3);
    try {
      const ctx = toAccountContext(account, deps.hostKeyTrust);
      if (ctx.forgedPins.length > 0) {
        deps.logger.warn({ jobId: job.id, targetId: account.targetId, fingerprints: ctx.forgedPins }, 'host keys marked APPROVED without a valid signed approval are not trusted: approve them again');
      }
      await completions.complete(await runToEnd(job, ctx));
    } catch (error) {
      // PostgreSQL went away mid-run: the job is not at fault and its state may be half-written.
      // Leave it as it is (running, phase kept): once its lease lapses the sweep runs it again
      // and the phase says where to resume; failing it here could strand a change on the target.
      if (isDatabaseUnavailable(error)) deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) }, jobId: job.id }, 'database unavailable: the job runs again once its lease lapses');
      else deps.logger.error({ err: error, jobId: job.id }, 'job run crashed');
    } finally {
      clearInterval(renew);
      ack(messageId);
    }
  }

  async function runToEnd(job: JobRecord, ctx: AccountContext): Promise<JobEnd> {
    const input = { job, ctx, journal: createJobJournal(deps.db, job), canRetry: job.attempts < options.maxAttempts };
    try {
      return { job, outcome: await runJob(deps, input) };
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      if (isConnectorError(error) && error.retryable && input.canRetry) {
        return { job, retry: { code: error.code, message: error.message, delayMs: options.backoffBaseMs * 2 ** (job.attempts - 1) } };
      }
      if (isConnectorError(error)) return { job, outcome: { state: job.state === 'unverified' ? 'unverified' : 'failed', errorCode: error.code, errorMessage: error.message } };
      deps.logger.error({ err: error, jobId: job.id }, 'job failed unexpectedly');
      return { job, outcome: { state: 'failed', errorCode: 'INTERNAL', errorMessage: 'PassMan failed unexpectedly; the logs have the details' } };
    }
  }

  async function pump(): Promise<void> {
    while (running) {
      const free = options.concurrency - inFlight.size;
      let fetched = 0;
      // When busy, start jobs in groups of half the slots: each start costs a fetch, a claim and
      // a load, whether it starts one job or sixteen, and jobs started together end together, so
      // their ends are written together too (bench:jobs: a quarter gave ≈0.5 ms more CPU per check).
      if (free > 0 && (free >= Math.ceil(options.concurrency / 2) || inFlight.size === 0)) {
        try {
          const messages = await deps.queue.fetch(Math.min(free, 32));
          fetched = messages.length;
          if (messages.length > 0) await dispatch(messages);
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
    const stranded = await jobsRepo.findStranded(now, new Date(now.getTime() - options.leaseMs), 500);
    await deps.queue.enqueue(stranded.map((j) => j.id));
    return stranded.length;
  }

  return {
    start() {
      running = true;
      offEnqueued = deps.queue.onEnqueued(() => wake?.());
      loop = pump();
      void sweep().catch(() => undefined);
      sweepTimer = setInterval(() => void sweep().catch((err: unknown) => deps.logger.warn({ err }, 'job sweep failed')), Math.max(1_000, options.leaseMs / 2));
    },
    async stop() {
      running = false;
      offEnqueued?.();
      wake?.();
      clearInterval(sweepTimer);
      await loop;
      await Promise.all([...inFlight]);
      await completions.drain();
    },
    sweep,
  };
}

/** The runner of each kind of job; a kind added to JOB_KINDS without one fails to compile here. */
function runJob(deps: RunnerDeps, input: RunInput): Promise<RunOutcome> {
  const kind = input.job.kind;
  switch (kind) {
    case 'CHECK':
      return runCheck(deps, input);
    case 'RESET':
      return runReset(deps, input);
    default:
      return unknownKind(kind);
  }
}

function unknownKind(kind: never): never {
  throw new Error(`no runner for job kind ${String(kind)}`);
}
