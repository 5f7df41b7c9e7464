import PgBoss from 'pg-boss';

export const JOB_QUEUE = 'passman-jobs';

export interface JobQueue {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Asks a worker to run the job (now, or after `delaySeconds`). Duplicates are harmless: runs are idempotent. */
  enqueue(jobIds: string[], delaySeconds?: number): Promise<void>;
  /** Up to `max` messages; each must be acknowledged with `done`. */
  fetch(max: number): Promise<{ messageId: string; jobId: string }[]>;
  done(messageId: string): Promise<void>;
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
  // Acknowledgements go in groups: one query per flush instead of one per job. A message not yet
  // acknowledged when the process dies is offered again later; runs are idempotent.
  let acks: string[] = [];
  let flushing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    while (acks.length > 0) {
      const ids = acks;
      acks = [];
      await boss.complete(JOB_QUEUE, ids).catch(() => undefined);
    }
  };
  return {
    async start() {
      boss.on('error', () => undefined); // connection blips surface through the next fetch/send
      await boss.start();
      await boss.createQueue(JOB_QUEUE);
      started = true;
    },
    async stop() {
      await flushing;
      await flush();
      if (started) await boss.stop({ graceful: false, wait: true });
      started = false;
    },
    async enqueue(jobIds, delaySeconds) {
      if (jobIds.length === 0) return;
      await boss.insert(jobIds.map((jobId) => ({ name: JOB_QUEUE, data: { jobId }, startAfter: delaySeconds ? new Date(Date.now() + delaySeconds * 1000) : undefined })));
    },
    async fetch(max) {
      const jobs = await boss.fetch<{ jobId: string }>(JOB_QUEUE, { batchSize: max });
      return jobs.map((j) => ({ messageId: j.id, jobId: j.data.jobId }));
    },
    async done(messageId) {
      acks.push(messageId);
      flushing ??= new Promise<void>((resolve) => setTimeout(resolve, 20)).then(flush).finally(() => {
        flushing = undefined;
      });
      await flushing;
    },
  };
}
