import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApi, type TestApi } from '../../../test/harness.js';
import { createAccount } from '../../../test/factories.js';
import { JOB_EVENTS_CHANNEL, type JobEvent } from '../job-events.js';
import { lapseLease } from '../jobs.test-util.js';
import { createQueueRepo } from './queue.repo.js';
import type { JobState } from '@passman/contracts';
import { createWorkerRepo, type CompletionRow, type StepRecord } from './worker.repo.js';

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

/** The end of a run as job-completions writes it: succeeded, nothing else, unless `row` says more. */
function completion(row: Pick<CompletionRow, 'jobId' | 'accountId' | 'attempt'> & Partial<CompletionRow>): CompletionRow {
  return {
    state: 'succeeded',
    phase: null,
    errorCode: null,
    errorMessage: null,
    finished: true,
    runAfter: null,
    results: null,
    accountStatus: null,
    credentialChecks: [],
    steps: [],
    ...row,
  };
}

const newQueue = () => `repo-test-${randomBytes(4).toString('hex')}`;

/** One run's progress through `advanceJobs`: whether the job was still the run's. */
const advanceJob = async (
  repo: ReturnType<typeof createWorkerRepo>,
  jobId: string,
  claim: { workerId: string; attempt: number },
  change: { state?: JobState; phase?: string },
  steps: StepRecord[],
) => (await repo.advanceJobs([{ jobId, attempt: claim.attempt, ...change, steps }], claim.workerId)).has(jobId);

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
    const queue = newQueue();
    const job = await pm.db.job.create({ data: { kind: 'CHECK', accountId: account.id, batchId: batch.id, queue } });
    const repo = createWorkerRepo(pm.db);

    expect(await createQueueRepo(pm.db).claim({ queue, workerId: 'w1', workerPid: 4242, max: 5, leaseMs: 60_000 })).toEqual([job.id]);
    await advanceJob(repo, job.id, { workerId: 'w1', attempt: 1 }, { phase: 'working' }, [
      { step: 'one', status: 'info', detail: { n: 1 } },
      { step: 'two', status: 'info' },
    ]);
    await repo.writeCompletions(
      [completion({ jobId: job.id, attempt: 1, accountId: account.id, steps: [{ step: 'end', status: 'done', detail: null }] })],
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
          completion({
            jobId,
            attempt: 1,
            accountId: account.id,
            accountStatus: { status: 'InSync', statusReason: null, checkedAt: new Date() },
            credentialChecks: [{ id: credential.id, ok: true, code: null, at: new Date() }],
          }),
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
    const queue = newQueue();
    /** A job on the account, claimed by worker w1 as its first attempt: only a run that holds its job ends it. */
    const claimed = async () => {
      const job = await pm.db.job.create({ data: { kind: 'CHECK', accountId: account.id, queue } });
      expect(await createQueueRepo(pm.db).claim({ queue, workerId: 'w1', workerPid: 1, max: 1, leaseMs: 60_000 })).toEqual([job.id]);
      return job;
    };
    try {
      const first = await claimed();
      // Waiting for its job: the account and the credential are already its own.
      expect(await lockedWhileWaitingFor('jobs', first.id, first.id)).toEqual({ account: true, credential: true, job: true });
      const second = await claimed();
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
    const queue = newQueue();
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
    await lapseLease(pm, held);
    expect(await repo.claim({ queue, workerId: 'wc', workerPid: 3, max: 5, leaseMs: 60_000 })).toEqual([held]);
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: held } })).toMatchObject({ lockedBy: 'wc', attempts: 2, state: 'running' });
  });
});

describe('a run whose job another run claimed after its lease lapsed', () => {
  it('changes nothing with its progress or its end; the run that holds the job now writes its own', async () => {
    const account = await createAccount(pm);
    const credential = await pm.db.credential.create({ data: { accountId: account.id, type: 'PASSWORD', slot: 'password' } });
    const queue = newQueue();
    const job = await pm.db.job.create({ data: { kind: 'CHECK', accountId: account.id, queue } });
    const queueRepo = createQueueRepo(pm.db);
    const repo = createWorkerRepo(pm.db);
    const rowsNow = async () => ({
      job: await pm.db.job.findUniqueOrThrow({ where: { id: job.id } }),
      account: await pm.db.account.findUniqueOrThrow({ where: { id: account.id } }),
      credential: await pm.db.credential.findUniqueOrThrow({ where: { id: credential.id } }),
      steps: (await pm.db.jobStep.findMany({ where: { jobId: job.id }, orderBy: { id: 'asc' } })).map((s) => [s.step, s.status, s.detail]),
    });

    // Worker A claims the job, stalls past its lease, and worker B claims the job.
    expect(await queueRepo.claim({ queue, workerId: 'wa', workerPid: 1, max: 1, leaseMs: 60_000 })).toEqual([job.id]);
    await lapseLease(pm, job.id);
    expect(await queueRepo.claim({ queue, workerId: 'wb', workerPid: 2, max: 1, leaseMs: 60_000 })).toEqual([job.id]);
    const b = await rowsNow();
    expect(b.job).toMatchObject({ lockedBy: 'wb', attempts: 2, state: 'running' });

    // A wakes up and writes as if the job were still its own: its progress and its end are refused.
    expect(await advanceJob(repo, job.id, { workerId: 'wa', attempt: 1 }, { phase: 'stale' }, [{ step: 'stale', status: 'info' }])).toBe(false);
    const staleEnd = completion({
      jobId: job.id,
      attempt: 1,
      accountId: account.id,
      state: 'failed',
      errorCode: 'AUTH_REJECTED',
      errorMessage: 'stale',
      results: [{ credentialId: credential.id, ok: false }],
      accountStatus: { status: 'NotInSync', statusReason: 'AUTH_REJECTED', checkedAt: new Date() },
      credentialChecks: [{ id: credential.id, ok: false, code: 'AUTH_REJECTED', at: new Date() }],
      steps: [{ step: 'check', status: 'failed', detail: null }],
    });
    expect(await repo.writeCompletions([staleEnd], 'wa')).toEqual([]);
    // The job, its account (status and lease) and the credential are as B's claim left them.
    expect(await rowsNow()).toEqual(b);

    // B's own progress and end land.
    expect(await advanceJob(repo, job.id, { workerId: 'wb', attempt: 2 }, { phase: 'checked' }, [{ step: 'check', status: 'done' }])).toBe(true);
    const bEnd = completion({
      jobId: job.id,
      attempt: 2,
      accountId: account.id,
      accountStatus: { status: 'InSync', statusReason: null, checkedAt: new Date() },
      credentialChecks: [{ id: credential.id, ok: true, code: null, at: new Date() }],
      steps: [{ step: 'end', status: 'done', detail: null }],
    });
    expect(await repo.writeCompletions([bEnd], 'wb')).toEqual([job.id]);
    const after = await rowsNow();
    expect(after.job).toMatchObject({ state: 'succeeded', phase: 'checked', errorCode: null, lockedBy: null, lockedUntil: null, attempts: 2 });
    expect(after.account).toMatchObject({ status: 'InSync', statusReason: null, lockedByJobId: null, lockExpiresAt: null });
    expect(after.credential).toMatchObject({ lastCheckOk: true, lastCheckCode: null });
    expect(after.steps).toEqual([
      ['attempt', 'started', { attempt: 1, worker: 1 }],
      ['attempt', 'started', { attempt: 2, worker: 2 }],
      ['check', 'done', null],
      ['end', 'done', null],
    ]);
  });

  it('tells runs of one worker apart by attempt: its earlier run of a job it claimed again is refused', async () => {
    const account = await createAccount(pm);
    const queue = newQueue();
    const job = await pm.db.job.create({ data: { kind: 'CHECK', accountId: account.id, queue } });
    const queueRepo = createQueueRepo(pm.db);
    const repo = createWorkerRepo(pm.db);

    expect(await queueRepo.claim({ queue, workerId: 'wa', workerPid: 1, max: 1, leaseMs: 60_000 })).toEqual([job.id]);
    await lapseLease(pm, job.id);
    expect(await queueRepo.claim({ queue, workerId: 'wa', workerPid: 1, max: 1, leaseMs: 60_000 })).toEqual([job.id]);

    expect(await advanceJob(repo, job.id, { workerId: 'wa', attempt: 1 }, { state: 'failed' }, [])).toBe(false);
    expect(await repo.writeCompletions([completion({ jobId: job.id, attempt: 1, accountId: account.id, state: 'failed' })], 'wa')).toEqual([]);
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ state: 'running', lockedBy: 'wa', attempts: 2 });
    expect(await pm.db.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ lockedByJobId: job.id });

    expect(await repo.writeCompletions([completion({ jobId: job.id, attempt: 2, accountId: account.id })], 'wa')).toEqual([job.id]);
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ state: 'succeeded', lockedBy: null, attempts: 2 });
    expect(await pm.db.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ lockedByJobId: null, lockExpiresAt: null });
  });

  it('is not renewed by its worker’s heartbeat, nor is its account: their leases are the new run’s to keep, or gone with the job', async () => {
    const [one, two] = await Promise.all([createAccount(pm), createAccount(pm)]);
    const queue = newQueue();
    const taken = await pm.db.job.create({ data: { kind: 'CHECK', accountId: one.id, queue } });
    const queueRepo = createQueueRepo(pm.db);
    const leases = async (jobId: string, accountId: string) => ({
      job: (await pm.db.job.findUniqueOrThrow({ where: { id: jobId } })).lockedUntil,
      account: (await pm.db.account.findUniqueOrThrow({ where: { id: accountId } })).lockExpiresAt,
    });

    // Taken over: worker A stalled past its lease and B claimed the job; A's heartbeat comes late, with a lease of an hour.
    expect(await queueRepo.claim({ queue, workerId: 'wa', workerPid: 1, max: 1, leaseMs: 60_000 })).toEqual([taken.id]);
    await lapseLease(pm, taken.id);
    expect(await queueRepo.claim({ queue, workerId: 'wb', workerPid: 2, max: 1, leaseMs: 60_000 })).toEqual([taken.id]);
    const b = await leases(taken.id, one.id);
    await queueRepo.heartbeat('wa', [taken.id], 3_600_000);
    expect(await leases(taken.id, one.id)).toEqual(b);
    // B's heartbeat renews both.
    await queueRepo.heartbeat('wb', [taken.id], 3_600_000);
    const renewed = await leases(taken.id, one.id);
    expect(renewed.job!.getTime()).toBeGreaterThan(b.job!.getTime());
    expect(renewed.account!.getTime()).toBeGreaterThan(b.account!.getTime());

    // Ended while A still ran it (its row holds no lease any more) though the account's lease was left behind: A renews neither.
    const ended = await pm.db.job.create({ data: { kind: 'CHECK', accountId: two.id, queue } });
    expect(await queueRepo.claim({ queue, workerId: 'wa', workerPid: 1, max: 1, leaseMs: 60_000 })).toEqual([ended.id]);
    await pm.db.job.update({ where: { id: ended.id }, data: { state: 'failed', lockedBy: null, lockedUntil: null } });
    const left = await leases(ended.id, two.id);
    await queueRepo.heartbeat('wa', [ended.id], 3_600_000);
    expect(await leases(ended.id, two.id)).toEqual(left);
  });
});
