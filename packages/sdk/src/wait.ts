import { setTimeout as sleep } from 'node:timers/promises';
import { hasJobSettled, type Batch, type Job } from '@passman/contracts';
import { AuthenticationError, NotFoundError, PermissionError, WaitTimeoutError } from './errors.js';
import type { RouteClients } from './routes.js';

export interface WaitOptions<T> {
  /** Give up after this long with a WaitTimeoutError (default 10 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each state seen on the way (a progress bar's feed). */
  onProgress?: (value: T) => void;
  /** Follow the event stream first (default true); false polls from the start. */
  useStream?: boolean;
  /** The first pause between polls (default 500 ms); it grows to `maxPollIntervalMs`. */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Drop a stream that sent not even a heartbeat for this long, and poll (default 45 s). */
  streamIdleMs?: number;
}

/** What a waiter needs of the client: its job routes. */
type JobsClient = Pick<RouteClients, 'jobs'>;

interface Subject<T> {
  what: string;
  id: string;
  events: (signal: AbortSignal, idleMs: number) => AsyncIterable<T>;
  get: (signal: AbortSignal) => Promise<T>;
  done: (value: T) => boolean;
}

/** Errors that polling would meet again: no reason to fall back to it. */
const final = (error: unknown) => error instanceof NotFoundError || error instanceof AuthenticationError || error instanceof PermissionError;

async function waitFor<T>(subject: Subject<T>, options: WaitOptions<T>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const timedOut = () =>
    new WaitTimeoutError({ status: 0, code: 'WAIT_TIMEOUT', detail: `${subject.what} ${subject.id} did not settle within ${timeoutMs} ms` });
  const settle = (error: unknown): never => {
    if (timeout.aborted && !options.signal?.aborted) throw timedOut();
    throw error;
  };

  if (options.useStream !== false) {
    try {
      for await (const value of subject.events(signal, options.streamIdleMs ?? 45_000)) {
        options.onProgress?.(value);
        if (subject.done(value)) return value;
      }
      // The stream ended before the end (a proxy cut it, the session ended): poll for the rest.
    } catch (error) {
      if (signal.aborted || final(error)) settle(error);
      // Too many streams (429), a proxy that buffers or drops them, a network blip: poll instead.
    }
  }

  let interval = options.pollIntervalMs ?? 500;
  const maxInterval = options.maxPollIntervalMs ?? 5_000;
  for (;;) {
    let value: T;
    try {
      value = await subject.get(signal);
    } catch (error) {
      return settle(error);
    }
    options.onProgress?.(value);
    if (subject.done(value)) return value;
    try {
      await sleep(interval, undefined, { signal });
    } catch (error) {
      return settle(error);
    }
    interval = Math.min(maxInterval, Math.round(interval * 1.5));
  }
}

/** Until the job settles (succeeded, failed, or unverified once its recovery gave up): `hasJobSettled`. */
export function waitForJob(client: JobsClient, jobId: string, options: WaitOptions<Job> = {}): Promise<Job> {
  return waitFor<Job>(
    {
      what: 'job',
      id: jobId,
      events: (signal, idleMs) => client.jobs.events({ params: { id: jobId }, signal }, { retry: false, idleMs }),
      get: (signal) => client.jobs.get({ params: { id: jobId }, signal }),
      done: hasJobSettled,
    },
    options,
  );
}

/** Until every job of the batch settled (`batch.done`). */
export function waitForBatch(client: JobsClient, batchId: string, options: WaitOptions<Batch> = {}): Promise<Batch> {
  return waitFor<Batch>(
    {
      what: 'batch',
      id: batchId,
      events: (signal, idleMs) => client.jobs.batchEvents({ params: { id: batchId }, signal }, { retry: false, idleMs }),
      get: (signal) => client.jobs.batch({ params: { id: batchId }, signal }),
      done: (batch) => batch.done,
    },
    options,
  );
}
