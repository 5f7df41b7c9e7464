import { listenWithReconnect } from '../../../db/pg-listen.js';
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
  const listen = await listenWithReconnect({
    databaseUrl,
    channel: JOBS_QUEUED_CHANNEL,
    applicationName: 'passman-worker-listen',
    onNotification: (payload) => {
      if (payload === queue) onQueued();
    },
    onReconnected: onQueued,
    firstConnection: 'retry',
  });
  return { stop: () => listen.stop() };
}
