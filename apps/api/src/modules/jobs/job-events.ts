import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { DbClient } from '../../db/transaction.js';
import { createGroupCommit, type GroupCommit } from '../../lib/group-commit.js';

const CHANNEL = 'passman_job_events';

export interface JobEvent {
  jobId: string;
  batchId: string | null;
}

const notifiers = new WeakMap<DbClient, GroupCommit<string>>();

/**
 * Tells every API process that a job changed (PostgreSQL NOTIFY; workers may run elsewhere).
 * Grouped (lib/group-commit): a worker with 32 jobs in flight raises several changes per job,
 * and one round trip each was a good part of a job's database work. Duplicates are merged.
 * Resolves once the group holding this change is sent.
 */
export function notifyJobChanged(db: DbClient, event: JobEvent): Promise<void> {
  let notifier = notifiers.get(db);
  if (!notifier) {
    notifier = createGroupCommit<string>(async (payloads) => {
      await db.$executeRaw`SELECT pg_notify(${CHANNEL}, payload) FROM unnest(${[...new Set(payloads)]}::text[]) AS payload`;
    });
    notifiers.set(db, notifier);
  }
  return notifier.add(JSON.stringify(event));
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
