import { EventEmitter } from 'node:events';
import { listenWithReconnect } from '../../db/pg-listen.js';

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
  const listen = await listenWithReconnect({
    databaseUrl,
    channel: JOB_EVENTS_CHANNEL,
    applicationName: options.applicationName ?? 'passman-job-events',
    onNotification: (payload) => {
      if (!payload) return;
      try {
        emitter.emit('event', JSON.parse(payload) as JobEvent);
      } catch {
        // not ours
      }
    },
    // Streams resync once the connection is back (e.g. PostgreSQL restarted).
    onReconnected: () => emitter.emit('resync'),
  });

  return {
    on(listener) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
    onResync(listener) {
      emitter.on('resync', listener);
      return () => emitter.off('resync', listener);
    },
    stats: () => ({ listeners: emitter.listenerCount('event'), backendPid: listen.backendPid(), reconnects: listen.reconnects() }),
    stop: () => listen.stop(),
  };
}
