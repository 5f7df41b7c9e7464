import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApi, type TestApi } from '../../../test/harness.js';
import { createAccount } from '../../../test/factories.js';
import { JOB_EVENTS_CHANNEL, type JobEvent } from '../job-events.js';
import { createQueueRepo } from './queue.repo.js';
import { createWorkerRepo } from './worker.repo.js';

// The worker's grouped statements against real PostgreSQL: each tells job-event listeners
// (the SSE streams) about the change it makes, and writes the timeline in order.

let pm: TestApi;
let listener: pg.Client;
const heard: JobEvent[] = [];

beforeAll(async () => {
  pm = await createTestApi();
  listener = new pg.Client({ connectionString: pm.databaseUrl });
  await listener.connect();
  listener.on('notification', (m) => heard.push(JSON.parse(m.payload!) as JobEvent));
  await listener.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await listener?.end();
  await pm?.close();
});

async function noticesFor(jobId: string, count: number): Promise<JobEvent[]> {
  for (let waited = 0; waited < 2_000; waited += 20) {
    const mine = heard.filter((e) => e.jobId === jobId);
    if (mine.length >= count) return mine;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return heard.filter((e) => e.jobId === jobId);
}

describe('worker repo', () => {
  it('claim, advance and completion each notify listeners and append their steps in order', async () => {
    const account = await createAccount(pm);
    const batch = await pm.db.jobBatch.create({ data: { kind: 'CHECK', total: 1 } });
    const queue = `repo-test-${randomBytes(4).toString('hex')}`;
    const job = await pm.db.job.create({ data: { kind: 'CHECK', accountId: account.id, batchId: batch.id, queue } });
    const repo = createWorkerRepo(pm.db);

    expect(await createQueueRepo(pm.db).claim({ queue, workerId: 'w1', workerPid: 4242, max: 5, leaseMs: 60_000 })).toEqual([job.id]);
    await repo.advanceJob(job.id, { phase: 'working' }, [
      { step: 'one', status: 'info', detail: { n: 1 } },
      { step: 'two', status: 'info' },
    ]);
    await repo.writeCompletions(
      [
        {
          jobId: job.id,
          accountId: account.id,
          state: 'succeeded',
          phase: null,
          errorCode: null,
          errorMessage: null,
          finished: true,
          runAfter: null,
          results: null,
          accountStatus: null,
          credentialChecks: [],
          steps: [{ step: 'end', status: 'done', detail: null }],
        },
      ],
      'w1',
    );

    expect(await noticesFor(job.id, 3)).toEqual([0, 1, 2].map(() => ({ jobId: job.id, batchId: batch.id })));
    const steps = await pm.db.jobStep.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } });
    expect(steps.map((s) => [s.step, s.status, s.detail])).toEqual([
      ['attempt', 'started', { attempt: 1, worker: 4242 }],
      ['one', 'info', { n: 1 }],
      ['two', 'info', null],
      ['end', 'done', null],
    ]);
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      state: 'succeeded',
      phase: 'working',
      attempts: 1,
      lockedBy: null,
      lockedUntil: null,
    });
    expect(await pm.db.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ lockedByJobId: null, lockExpiresAt: null });
  });

  it('ends runs taking row locks in the documented order: accounts, then credentials, then jobs', async () => {
    const account = await createAccount(pm);
    const credential = await pm.db.credential.create({ data: { accountId: account.id, type: 'PASSWORD', slot: 'password' } });
    const repo = createWorkerRepo(pm.db);
    const holder = new pg.Client({ connectionString: pm.databaseUrl });
    const probe = new pg.Client({ connectionString: pm.databaseUrl });
    await Promise.all([holder.connect(), probe.connect()]);
    const holderPid = (holder as unknown as { processID: number }).processID;
    /** Whether another transaction holds a lock on the row (NOWAIT fails at once instead of waiting). */
    const lockedElsewhere = async (table: 'accounts' | 'credentials' | 'jobs', id: string) => {
      await probe.query('BEGIN');
      try {
        await probe.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE NOWAIT`, [id]);
        return false;
      } catch (error) {
        if ((error as { code?: string }).code !== '55P03') throw error;
        return true;
      } finally {
        await probe.query('ROLLBACK');
      }
    };
    /** Ends a run while `holder` holds one row, and reports which rows the ending had locked by the time it waited for that one. */
    const lockedWhileWaitingFor = async (table: 'credentials' | 'jobs', id: string, jobId: string) => {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
      const writing = repo.writeCompletions(
        [
          {
            jobId,
            accountId: account.id,
            state: 'succeeded',
            phase: null,
            errorCode: null,
            errorMessage: null,
            finished: true,
            runAfter: null,
            results: null,
            accountStatus: { status: 'InSync', statusReason: null, checkedAt: new Date() },
            credentialChecks: [{ id: credential.id, ok: true, code: null, at: new Date() }],
            steps: [],
          },
        ],
        'w1',
      );
      for (;;) {
        const { rows } = await probe.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [holderPid]);
        if (rows[0]!.n > 0) break;
      }
      const locked = {
        account: await lockedElsewhere('accounts', account.id),
        credential: await lockedElsewhere('credentials', credential.id),
        job: await lockedElsewhere('jobs', jobId),
      };
      await holder.query('COMMIT');
      await writing;
      return locked;
    };
    try {
      const first = await pm.db.job.create({ data: { kind: 'CHECK', accountId: account.id } });
      // Waiting for its job: the account and the credential are already its own.
      expect(await lockedWhileWaitingFor('jobs', first.id, first.id)).toEqual({ account: true, credential: true, job: true });
      const second = await pm.db.job.create({ data: { kind: 'CHECK', accountId: account.id } });
      // Waiting for the credential: the account is locked, the job not yet.
      expect(await lockedWhileWaitingFor('credentials', credential.id, second.id)).toEqual({ account: true, credential: true, job: false });
      expect(await pm.db.job.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ state: 'succeeded' });
      expect(await pm.db.credential.findUniqueOrThrow({ where: { id: credential.id } })).toMatchObject({ lastCheckOk: true });
    } finally {
      await Promise.all([holder.end(), probe.end()]);
    }
  });

  it('claims a job for one worker at a time: a live lease keeps it, the heartbeat renews it, a lapsed one frees it for another worker', async () => {
    const [one, two] = await Promise.all([createAccount(pm), createAccount(pm)]);
    const queue = `repo-test-${randomBytes(4).toString('hex')}`;
    const jobs = await Promise.all([one, two].map((a) => pm.db.job.create({ data: { kind: 'CHECK', accountId: a.id, queue } })));
    // Another queue's job is never this queue's worker's.
    await pm.db.job.create({ data: { kind: 'CHECK', accountId: one.id, queue: `${queue}-other` } });
    const repo = createQueueRepo(pm.db);
    const lease = (id: string) => pm.db.job.findUniqueOrThrow({ where: { id }, select: { lockedBy: true, lockedUntil: true } });

    // Two workers claiming at once share the jobs: each claims a job once, none both.
    const [a, b] = await Promise.all([
      repo.claim({ queue, workerId: 'wa', workerPid: 1, max: 1, leaseMs: 60_000 }),
      repo.claim({ queue, workerId: 'wb', workerPid: 2, max: 1, leaseMs: 60_000 }),
    ]);
    expect([...a, ...b].sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(await repo.claim({ queue, workerId: 'wc', workerPid: 3, max: 5, leaseMs: 60_000 })).toEqual([]);

    // Worker a's process dies: its lease lapses (made so here rather than waited for) and worker c takes the job over.
    const held = a[0]!;
    const before = await lease(held);
    await repo.heartbeat('wa', [held], 60_000);
    const renewed = await lease(held);
    expect(renewed.lockedBy).toBe('wa');
    expect(renewed.lockedUntil!.getTime()).toBeGreaterThanOrEqual(before.lockedUntil!.getTime());
    await pm.db.job.update({ where: { id: held }, data: { lockedUntil: new Date(Date.now() - 1_000) } });
    await pm.db.account.updateMany({ where: { lockedByJobId: held }, data: { lockExpiresAt: new Date(Date.now() - 1_000) } });
    expect(await repo.claim({ queue, workerId: 'wc', workerPid: 3, max: 5, leaseMs: 60_000 })).toEqual([held]);
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: held } })).toMatchObject({ lockedBy: 'wc', attempts: 2, state: 'running' });
  });
});
