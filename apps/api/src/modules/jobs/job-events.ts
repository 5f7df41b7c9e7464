import { EventEmitter } from 'node:events';
import pg from 'pg';

/**
 * Every change of a job is announced on this channel (PostgreSQL NOTIFY, so API processes
 * hear about workers elsewhere) with a JSON `JobEvent`, by the statement that makes the change
 * (worker/worker.repo.ts): inside a transaction it is delivered at commit, and it costs no
 * round trip of its own.
 */
export const JOB_EVENTS_CHANNEL = 'passman_job_events';

export interface JobEvent {
  jobId: string;
  batchId: string | null;
}

export interface JobEventHub {
  on(listener: (event: JobEvent) => void): () => void;
  /** Called after the LISTEN connection was lost and made again: notifications may have been missed. */
  onResync(listener: () => void): () => void;
  /** Open subscriptions (one per open event stream) and the LISTEN connection's server process id. */
  stats(): { listeners: number; backendPid: number | null; reconnects: number };
  stop(): Promise<void>;
}

/**
 * One LISTEN connection per API process, fanned out to every open event stream: streams never
 * query the database on their own while nothing changes.
 */
export async function startJobEventHub(databaseUrl: string, options: { applicationName?: string } = {}): Promise<JobEventHub> {
  const emitter = new EventEmitter().setMaxListeners(0);
  const applicationName = options.applicationName ?? 'passman-job-events';
  let reconnects = 0;
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
    next.on('notification', (msg) => {
      if (msg.channel !== JOB_EVENTS_CHANNEL || !msg.payload) return;
      try {
        emitter.emit('event', JSON.parse(msg.payload) as JobEvent);
      } catch {
        // not ours
      }
    });
    next.on('error', () => {
      // Reconnect after a dropped connection (e.g. PostgreSQL restarted); streams resync once it is back.
      if (client === next) reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    // Stopped while connecting: this connection must not outlive the hub.
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  };
  // Keeps trying (every second) until PostgreSQL answers again: a restart takes a few seconds.
  const reconnect = (): void => {
    client = null;
    if (stopped) return;
    retry = setTimeout(() => {
      connect()
        .then(() => {
          if (!client) return;
          reconnects += 1;
          emitter.emit('resync');
        })
        .catch(reconnect);
    }, 1000).unref();
  };
  await connect();

  return {
    on(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    onResync(listener) {
      emitter.on('resync', listener);
      return () => emitter.off('resync', listener);
    },
    stats: () => ({
      listeners: emitter.listenerCount('event'),
      backendPid: (client as (pg.Client & { processID?: number }) | null)?.processID ?? null,
      reconnects,
    }),
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
