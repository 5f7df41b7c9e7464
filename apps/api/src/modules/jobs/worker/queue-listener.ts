import pg from 'pg';
import { JOBS_QUEUED_CHANNEL } from '../job-queue.js';

export interface QueueListener {
  stop(): Promise<void>;
}

/**
 * Calls `onQueued` when jobs are inserted into `queue` (the jobs table's trigger NOTIFYs), and
 * once more after a lost connection is made again — notices may have been missed meanwhile.
 * Only a wake-up: the worker's poll still finds due jobs if PostgreSQL is unreachable here.
 */
export async function listenForQueuedJobs(databaseUrl: string, queue: string, onQueued: () => void): Promise<QueueListener> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'passman-worker-listen' });
    next.on('notification', (msg) => {
      if (msg.channel === JOBS_QUEUED_CHANNEL && msg.payload === queue) onQueued();
    });
    next.on('error', () => {
      if (client === next) reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${JOBS_QUEUED_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  };
  const reconnect = (): void => {
    client = null;
    if (stopped) return;
    retry = setTimeout(() => {
      connect()
        .then(() => client && onQueued())
        .catch(reconnect);
    }, 1000).unref();
  };
  await connect().catch(reconnect);

  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
