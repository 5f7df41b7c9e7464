import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isConnectorError } from '@passman/connectors';
import { isBeingRecovered, OUTCOME_UNKNOWN, type AccountJobKind, type EndedJobState } from '@passman/contracts';
import type { JobQueue } from '../job-queue.js';
import { toAccountContext, type AccountContext } from './account-access.js';
import { statusAfter } from './account-status.js';
import { runCheck } from './check-runner.js';
import { isDatabaseUnavailable } from '../../../db/database-unavailable.js';
import { createJobCompletions, type JobEnd } from './job-completions.js';
import { createJobJournal } from './job-journal.js';
import { createPromotions } from './promotions.js';
import type { ClaimedJob, QueueRepo } from './queue.repo.js';
import { listenForQueuedJobs, type QueueListener } from './queue-listener.js';
import { runReset } from './reset-runner.js';
import { JobLostError } from './job-lost-error.js';
import type { AccountJobRecord, ImportJobRunner, JobRecord, RunInput, RunnerDeps, RunOutcome } from './run-context.js';

export interface JobWorkerOptions {
  /** Jobs run at once by this process (the connector still caps connections per target). */
  concurrency: number;
  /**
   * How long a job's lease (and its account's) lasts without renewal: a worker that dies stops
   * renewing, and another takes its jobs over after this. Also how often an unverified job
   * still being recovered is tried again.
   */
  leaseMs: number;
  /** Attempts per job for retryable failures (unreachable, timeout …), with exponential backoff. */
  maxAttempts: number;
  backoffBaseMs: number;
  /** How often to look for due jobs without a wake-up (new jobs wake the worker at once). */
  pollIntervalMs: number;
  /**
   * How long the outcome of a reset is recovered (job-rules `isBeingRecovered`: the target could
   * not be asked whether it took the change), counted from the job's first attempt. Past it, a
   * run that still cannot ask the target settles the job as OUTCOME_UNKNOWN.
   */
  recoveryDeadlineMs: number;
}

/**
 * Recovery gives up after a day. Within it, an outage of the target — a maintenance window, a
 * reboot, a network down overnight — ends with the worker finding out by itself which secret the
 * target holds. A target still unreachable after a day is more likely gone or rebuilt than about
 * to answer, and until its job settles the job's batch is never done and the batch's event
 * stream never ends. Giving up loses nothing: both secrets stay kept, the account says
 * NotInSync OUTCOME_UNKNOWN, and a person confirms one.
 */
export const RECOVERY_DEADLINE_MS = 24 * 3_600_000;

export const DEFAULT_WORKER_OPTIONS: JobWorkerOptions = {
  concurrency: 32,
  leaseMs: 60_000,
  maxAttempts: 4,
  backoffBaseMs: 2_000,
  pollIntervalMs: 1_000,
  recoveryDeadlineMs: RECOVERY_DEADLINE_MS,
};

export interface JobWorker {
  /** This process's name in job leases (`locked_by`). */
  readonly id: string;
  start(): void;
  /** Stops claiming and waits for the jobs in flight. */
  stop(): Promise<void>;
}

/**
 * Takes jobs from the queue (the jobs table) and runs them. Claims due jobs in one statement
 * (queue.repo `claim`), runs up to `concurrency` at once, and keeps their leases alive with one
 * heartbeat for the whole process. Woken by new jobs (LISTEN), by its own runs ending, by the
 * due time of its own retries, and otherwise by a poll — which is also how it finds the jobs of
 * a worker that died, once their leases have lapsed.
 */
export function createJobWorker(
  deps: Omit<RunnerDeps, 'promotions'> & {
    queue: JobQueue;
    queueRepo: QueueRepo;
    /**
     * Told of every account job that ended (its alerts are evaluated), after its slot is free: the
     * evaluation does not hold up the next job. Never throws.
     */
    onEnded?: (end: { accountId: string; kind: AccountJobKind; state: EndedJobState; statusBefore: string; statusAfter: string | undefined }) => Promise<void>;
    /** Runs IMPORT jobs; a worker without one leaves them to the workers that have one. */
    imports?: ImportJobRunner;
  },
  options: JobWorkerOptions = DEFAULT_WORKER_OPTIONS,
): JobWorker {
  const id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const repo = deps.queueRepo;
  const completions = createJobCompletions(deps, { workerId: id, recoverEveryMs: options.leaseMs });
  const promotions = createPromotions(deps, { workerId: id });
  const runnerDeps: RunnerDeps = { ...deps, promotions };
  const inFlight = new Set<Promise<void>>();
  /** The `onEnded` calls under way: `stop` waits for them. */
  const endNotices = new Set<Promise<void>>();
  /** The jobs this worker is running: the heartbeat renews their leases. */
  const runningJobs = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  /** Aborted by `stop`: long runs (imports) give their job back between two steps. */
  const stopping = new AbortController();
  let running = false;
  let loop: Promise<void> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let listener: QueueListener | undefined;
  let wake: (() => void) | undefined;
  /** Set when a wake-up came while the loop was busy, so that it looks again at once. */
  let woken = false;
  const wakeUp = () => {
    woken = true;
    wake?.();
  };
  /** Wakes the loop when a job this worker put off becomes due. */
  const wakeAfter = (ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      wakeUp();
    }, ms + 10);
    timers.add(timer);
  };

  async function claimAndStart(max: number): Promise<number> {
    const ids = await repo.claim({ queue: deps.queue.name, workerId: id, workerPid: process.pid, max, leaseMs: options.leaseMs });
    if (ids.length === 0) return 0;
    for (const job of await repo.loadClaimed(ids)) {
      runningJobs.add(job.id);
      const run = runClaimed(job).finally(() => {
        runningJobs.delete(job.id);
        inFlight.delete(run);
        wakeUp();
      });
      inFlight.add(run);
    }
    return ids.length;
  }

  /** Hands a claimed job to the runner of its kind; a kind added to JOB_KINDS without one fails to compile here. */
  function runClaimed(claimed: ClaimedJob): Promise<void> {
    const kind = claimed.kind;
    switch (kind) {
      case 'CHECK':
      case 'RESET':
        return runAccountJob(claimed);
      case 'IMPORT':
        return runImportJob(claimed);
      default:
        return unknownKind(kind);
    }
  }

  async function runImportJob(claimed: ClaimedJob): Promise<void> {
    const { account: _none, ...job } = claimed;
    try {
      if (!deps.imports) throw new Error('this worker was started without an import runner');
      await deps.imports.run(job, { workerId: id, signal: stopping.signal });
    } catch (error) {
      reportCrash(job, error);
    }
  }

  async function runAccountJob(claimed: ClaimedJob): Promise<void> {
    const { account, ...row } = claimed;
    const job = row as AccountJobRecord;
    try {
      // The jobs table's check constraint: a CHECK or RESET always has its account.
      if (!account) throw new Error(`job ${job.id} has no account`);
      const ctx = toAccountContext(account, deps.hostKeyTrust);
      if (ctx.forgedPins.length > 0) {
        deps.logger.warn(
          { jobId: job.id, targetId: account.targetId, fingerprints: ctx.forgedPins },
          'host keys marked APPROVED without a valid signed approval are not trusted: approve them again',
        );
      }
      const end = await runToEnd(job, ctx);
      await completions.complete(end);
      if ('retry' in end) wakeAfter(end.retry.delayMs);
      else
        notifyEnded({
          accountId: job.accountId,
          kind: job.kind,
          state: end.outcome.state,
          statusBefore: account.status,
          statusAfter: statusAfter(end.outcome)?.status ?? end.outcome.statusWritten,
        });
    } catch (error) {
      reportCrash(job, error);
    }
  }

  function notifyEnded(end: Parameters<NonNullable<typeof deps.onEnded>>[0]): void {
    if (!deps.onEnded) return;
    const notice = deps
      .onEnded(end)
      .catch((err: unknown) => deps.logger.warn({ err, accountId: end.accountId }, 'telling of a job end failed'))
      .finally(() => endNotices.delete(notice));
    endNotices.add(notice);
  }

  function reportCrash(job: JobRecord, error: unknown): void {
    // The job is another run's now (this worker stalled past its lease): that run carries on from
    // the recorded phase; this one wrote nothing since and must not — its result is dropped.
    if (error instanceof JobLostError) {
      deps.logger.warn(
        { jobId: job.id, attempt: job.attempts, workerId: id },
        'the job was claimed by another run after this one lost its lease: this run stops, its result dropped',
      );
      return;
    }
    // PostgreSQL went away mid-run: the job is not at fault and its state may be half-written.
    // Leave it as it is (running, phase kept): once its lease lapses a worker runs it again and
    // the phase says where to resume; failing it here could strand a change on the target.
    if (isDatabaseUnavailable(error))
      deps.logger.warn(
        { err: { message: error instanceof Error ? error.message : String(error) }, jobId: job.id },
        'database unavailable: the job runs again once its lease lapses',
      );
    else deps.logger.error({ err: error, jobId: job.id }, 'job run crashed');
  }

  /** Whether this run is the last try to recover the job's outcome: it has been recovered for longer than the deadline. */
  const isLastRecovery = (job: AccountJobRecord) =>
    isBeingRecovered(job) && job.startedAt !== null && Date.now() - job.startedAt.getTime() >= options.recoveryDeadlineMs;

  async function runToEnd(job: AccountJobRecord, ctx: AccountContext): Promise<JobEnd> {
    if (!isLastRecovery(job)) return runOnce(job, ctx, true);
    // Past the deadline: one more try (the target may have come back), without retries; if that
    // cannot ask the target either, recovery is over.
    const end = await runOnce(job, ctx, false);
    return 'outcome' in end && isBeingRecovered({ state: end.outcome.state, errorCode: end.outcome.errorCode ?? null })
      ? { job, outcome: recoveryGivenUp(end.outcome, options.recoveryDeadlineMs) }
      : end;
  }

  async function runOnce(job: AccountJobRecord, ctx: AccountContext, mayRetry: boolean): Promise<JobEnd> {
    const journal = createJobJournal(deps.repo, job, { workerId: id, attempt: job.attempts });
    const input = { job, ctx, journal, canRetry: mayRetry && job.attempts < options.maxAttempts };
    try {
      return { job, outcome: await runJob(runnerDeps, input) };
    } catch (error) {
      if (isDatabaseUnavailable(error) || error instanceof JobLostError) throw error;
      if (isConnectorError(error) && error.retryable && input.canRetry) {
        return { job, retry: { code: error.code, message: error.message, delayMs: options.backoffBaseMs * 2 ** (job.attempts - 1) } };
      }
      if (isConnectorError(error))
        return { job, outcome: { state: job.state === 'unverified' ? 'unverified' : 'failed', errorCode: error.code, errorMessage: error.message } };
      deps.logger.error({ err: error, jobId: job.id }, 'job failed unexpectedly');
      return { job, outcome: { state: 'failed', errorCode: 'INTERNAL', errorMessage: 'PassMan failed unexpectedly; the logs have the details' } };
    }
  }

  async function pump(): Promise<void> {
    while (running) {
      woken = false;
      const free = options.concurrency - inFlight.size;
      let started = 0;
      // When busy, start jobs in groups of half the slots: each start costs a claim and a load,
      // whether it starts one job or sixteen, and jobs started together end together, so their
      // ends are written together too (bench:jobs: a quarter gave ≈0.5 ms more CPU per check).
      if (free > 0 && (free >= Math.ceil(options.concurrency / 2) || inFlight.size === 0)) {
        try {
          started = await claimAndStart(Math.min(free, 32));
        } catch (error) {
          deps.logger.warn({ err: isDatabaseUnavailable(error) ? { message: String(error) } : error }, 'claiming jobs failed; retrying');
        }
      }
      const full = inFlight.size >= options.concurrency;
      // Wait when every slot is taken, or when nothing was due and no wake-up came meanwhile.
      if (full || (started === 0 && !woken)) {
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

  return {
    id,
    start() {
      running = true;
      heartbeat = setInterval(
        () =>
          void repo
            .heartbeat(id, [...runningJobs], options.leaseMs)
            .catch((err: unknown) => deps.logger.warn({ err: isDatabaseUnavailable(err) ? { message: String(err) } : err }, 'renewing job leases failed')),
        Math.max(100, Math.floor(options.leaseMs / 3)),
      );
      loop = (async () => {
        // Listening before the first claim: a job queued in between wakes the loop.
        listener = await listenForQueuedJobs(deps.queue.databaseUrl, deps.queue.name, wakeUp);
        await pump();
      })();
    },
    async stop() {
      running = false;
      stopping.abort();
      wake?.();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await loop;
      await Promise.all([...inFlight]);
      await promotions.drain();
      await completions.drain();
      await Promise.all([...endNotices]);
      clearInterval(heartbeat);
      await listener?.stop();
    },
  };
}

/**
 * The end of a job whose recovery ran out of time (JobWorkerOptions `recoveryDeadlineMs`) and
 * whose last try could not ask the target either: settled as OUTCOME_UNKNOWN, with both secrets
 * kept, as when neither of them logs in — a person confirms one.
 */
function recoveryGivenUp(last: RunOutcome, deadlineMs: number): RunOutcome {
  const hours = Math.round(deadlineMs / 3_600_000);
  return {
    ...last,
    state: 'unverified',
    errorCode: OUTCOME_UNKNOWN,
    errorMessage:
      `Recovery gave up after ${hours} hours: the target could not be asked whether it took the change (${last.errorCode ?? 'no answer'}); ` +
      'the new and the previous secret are both kept until a person confirms one',
    accountStatus: { status: 'NotInSync', statusReason: OUTCOME_UNKNOWN },
    steps: [...(last.steps ?? []), { step: 'recover', status: 'failed', detail: { code: OUTCOME_UNKNOWN, gaveUpAfterHours: hours } }],
  };
}

/** The runner of each kind of job on an account. */
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
