import { EventEmitter } from 'node:events';
import PgBoss from 'pg-boss';
import { createGroupCommit } from '../../lib/group-commit.js';

export const JOB_QUEUE = 'passman-jobs';

export interface JobQueue {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Asks a worker to run the job (now, or after `delaySeconds`). Duplicates are harmless: runs are idempotent. */
  enqueue(jobIds: string[], delaySeconds?: number): Promise<void>;
  /** Up to `max` messages; each must be acknowledged with `done`. */
  fetch(max: number): Promise<{ messageId: string; jobId: string }[]>;
  done(messageId: string): Promise<void>;
  /** Calls `listener` after this process queued jobs, so a worker in the same process starts them without waiting for its next poll. */
  onEnqueued(listener: () => void): () => void;
}

/**
 * pg-boss carries "run job X" messages; the job's state, steps and phase live in PassMan's
 * own `jobs` table, so a lost or duplicated message never loses or repeats work.
 */
export function createJobQueue(options: { databaseUrl: string; schema?: string; max?: number }): JobQueue {
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: options.schema ?? 'pgboss',
    max: options.max ?? 4,
    // A message whose worker died is offered again after this; recovery also sweeps sooner.
    expireInSeconds: 15 * 60,
    retryLimit: 0,
    supervise: true,
    schedule: false,
  });
  let started = false;
  const local = new EventEmitter();
  // Acknowledgements go in groups: one query per group instead of one per job. A message not yet
  // acknowledged when the process dies is offered again later; runs are idempotent.
  const acks = createGroupCommit<string>((ids) => boss.complete(JOB_QUEUE, ids).then(() => undefined).catch(() => undefined), { delayMs: 20 });
  // Sends go in groups too: 32 jobs in flight re-queue and retry independently.
  const sends = createGroupCommit<{ jobIds: string[]; delaySeconds?: number }>(async (requests) => {
    await boss.insert(
      requests.flatMap(({ jobIds, delaySeconds }) => {
        const startAfter = delaySeconds ? new Date(Date.now() + delaySeconds * 1000) : undefined;
        return jobIds.map((jobId) => ({ name: JOB_QUEUE, data: { jobId }, startAfter }));
      }),
    );
  });
  return {
    async start() {
      boss.on('error', () => undefined); // connection blips surface through the next fetch/send
      await boss.start();
      await boss.createQueue(JOB_QUEUE);
      started = true;
    },
    async stop() {
      await Promise.all([acks.drain(), sends.drain()]);
      if (started) await boss.stop({ graceful: false, wait: true });
      started = false;
    },
    async enqueue(jobIds, delaySeconds) {
      if (jobIds.length === 0) return;
      await sends.add({ jobIds, delaySeconds });
      if (!delaySeconds) local.emit('enqueued');
    },
    async fetch(max) {
      const jobs = await boss.fetch<{ jobId: string }>(JOB_QUEUE, { batchSize: max });
      return jobs.map((j) => ({ messageId: j.id, jobId: j.data.jobId }));
    },
    async done(messageId) {
      await acks.add(messageId);
    },
    onEnqueued(listener) {
      local.on('enqueued', listener);
      return () => local.off('enqueued', listener);
    },
  };
}
