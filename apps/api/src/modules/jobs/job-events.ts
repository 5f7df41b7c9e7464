import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { DbClient } from '../../db/transaction.js';

const CHANNEL = 'passman_job_events';

export interface JobEvent {
  jobId: string;
  batchId: string | null;
}

interface NotifyQueue {
  payloads: Set<string>;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}
const notifyStates = new WeakMap<DbClient, { queued: NotifyQueue | null; flushing: boolean }>();

/**
 * Tells every API process that a job changed (PostgreSQL NOTIFY; workers may run elsewhere).
 * Grouped like a group commit: the first change is sent at once, and the changes raised while
 * that round trip is under way go together in the next one (duplicates merged). A worker with
 * 32 jobs in flight raises several changes per job; one round trip each was a good part of a
 * job's database work. Resolves once the batch holding this change is sent.
 */
export function notifyJobChanged(db: DbClient, event: JobEvent): Promise<void> {
  let state = notifyStates.get(db);
  if (!state) notifyStates.set(db, (state = { queued: null, flushing: false }));
  const queued = (state.queued ??= { payloads: new Set(), waiters: [] });
  queued.payloads.add(JSON.stringify(event));
  const sent = new Promise<void>((resolve, reject) => queued.waiters.push({ resolve, reject }));
  if (!state.flushing) void flushNotifications(db, state);
  return sent;
}

async function flushNotifications(db: DbClient, state: { queued: NotifyQueue | null; flushing: boolean }): Promise<void> {
  state.flushing = true;
  try {
    while (state.queued) {
      const batch = state.queued;
      state.queued = null;
      try {
        await db.$executeRaw`SELECT pg_notify(${CHANNEL}, payload) FROM unnest(${[...batch.payloads]}::text[]) AS payload`;
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (err) {
        for (const waiter of batch.waiters) waiter.reject(err);
      }
    }
  } finally {
    state.flushing = false;
  }
}

export interface JobEventHub {
  on(listener: (event: JobEvent) => void): () => void;
  stop(): Promise<void>;
}

/** One LISTEN connection per API process, fanned out to every open event stream. */
export async function startJobEventHub(databaseUrl: string): Promise<JobEventHub> {
  const emitter = new EventEmitter().setMaxListeners(0);
  let client: pg.Client | null = null;
  let stopped = false;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        emitter.emit('event', JSON.parse(msg.payload) as JobEvent);
      } catch {
        // not ours
      }
    });
    next.on('error', () => {
      // Reconnect after a dropped connection (e.g. PostgreSQL restarted); streams keep polling meanwhile.
      if (client === next) reconnect();
    });
    await next.connect();
    await next.query(`LISTEN ${CHANNEL}`);
    client = next;
  };
  // Keeps trying (every second) until PostgreSQL answers again: a restart takes a few seconds.
  const reconnect = (): void => {
    client = null;
    if (!stopped) setTimeout(() => void connect().catch(reconnect), 1000).unref();
  };
  await connect();

  return {
    on(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    async stop() {
      stopped = true;
      await client?.end().catch(() => undefined);
    },
  };
}
