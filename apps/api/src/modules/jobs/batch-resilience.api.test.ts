import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { migrate, startEmbeddedPostgres, type EmbeddedDatabase } from '@passman/db';
import { freePort, opensshLogin, startSshTarget, startSshTargets, startTcpRelay, type SshTarget, type SshTargetGroup, type TcpRelay } from '@passman/testkit';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { openedSecret } from '../credentials/secret-material.js';
import { api as client, newPassword, newUser, registerAccount, registerTarget } from './jobs.test-util.js';

// A batch keeps going when one of its targets dies, and when PostgreSQL itself restarts
// under it; in both cases no credential is lost: whatever is CURRENT in the vault logs in.

interface Member {
  target: SshTarget;
  name: string;
  password: string;
  accountId: string;
}

async function members(operator: LoggedIn, target: SshTarget, targetId: string, count: number): Promise<Member[]> {
  const users = Array.from({ length: count }, () => ({ name: newUser('b'), password: newPassword() }));
  await target.addUsers(users);
  const out: Member[] = [];
  for (const u of users) out.push({ target, ...u, accountId: await registerAccount(operator, targetId, u.name, u.password) });
  return out;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function versions(pm: TestApi, accountId: string) {
  return pm.db.credentialVersion.findMany({ where: { credential: { accountId, type: 'PASSWORD' } }, orderBy: { version: 'asc' } });
}

async function currentSecret(operator: LoggedIn, accountId: string) {
  return (await client(operator).post(`/accounts/${accountId}/checkout`, { credentialType: 'PASSWORD' }).expect(200)).body as {
    secret: string;
    version: number;
  };
}

describe('a target going down during a batch', () => {
  let pm: TestApi | undefined;
  let group: SshTargetGroup | undefined;
  afterAll(async () => {
    await pm?.close();
    await group?.stop();
  });

  it('bulk RESET: the live target finishes InSync, the dead one fails UNREACHABLE, nothing is CURRENT unverified', async () => {
    [pm, group] = await Promise.all([createTestApi(), startSshTargets({ count: 2 })]);
    const [live, dead] = group.targets as [SshTarget, SshTarget];
    const operator = await loginAs(pm, 'operator');
    const [liveId, deadId] = await Promise.all([registerTarget(operator, live), registerTarget(operator, dead)]);
    const onLive = await members(operator, live, liveId, 5);
    const onDead = await members(operator, dead, deadId, 5);
    // Two at a time, so the batch is surely under way, and surely not over, when the target dies.
    pm.startWorker({ leaseMs: 3_000, concurrency: 2, maxAttempts: 2, backoffBaseMs: 100 });
    const all = onLive.flatMap((m, i) => [m, onDead[i]!]);
    const batch = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds: all.map((m) => m.accountId), reset: { credentialType: 'PASSWORD' } })
      .expect(202);
    const batchId = batch.body.id as string;

    await until('two jobs of the batch to succeed', async () => (await pm!.db.job.count({ where: { batchId, state: 'succeeded' } })) >= 2);
    await dead.kill();

    // Every job ends a run; the batch is done only if none of the dead target's jobs was caught
    // in the middle of its change: such a job stays unverified and is retried until the target
    // answers again, which this one never does.
    const settled = await until('every job of the batch to end a run', async () => {
      const res = await client(operator).get(`/batches/${batchId}`).expect(200);
      return res.body.counts.queued + res.body.counts.running === 0 ? res.body : undefined;
    });
    expect(settled.total).toBe(10);
    expect(settled.done).toBe(settled.counts.recovering === 0);
    expect(settled.counts.recovering).toBe(settled.counts.unverified);
    const jobs = await pm.db.job.findMany({ where: { batchId }, include: { steps: { orderBy: { id: 'asc' } } } });
    const jobOf = (m: Member) => jobs.find((j) => j.accountId === m.accountId)!;

    // The live target: every reset succeeded, the new secret logs in (OpenSSH proves it), the old does not.
    for (const m of onLive) {
      expect(jobOf(m)).toMatchObject({ state: 'succeeded', errorCode: null });
      const now = await currentSecret(operator, m.accountId);
      expect(now.version).toBe(2);
      expect((await opensshLogin({ target: live, user: m.name, credential: { password: now.secret } })).code).toBe(0);
      expect((await opensshLogin({ target: live, user: m.name, credential: { password: m.password } })).code).not.toBe(0);
      expect(await pm.db.account.findUniqueOrThrow({ where: { id: m.accountId } })).toMatchObject({ status: 'InSync', lockedByJobId: null });
    }

    // The dead target: jobs that had not reached it failed UNREACHABLE (after their retry) and
    // kept the old version CURRENT; a job caught in the middle waits unverified, its new version
    // still PENDING. A version became CURRENT only after a fresh login proved it.
    let unreachable = 0;
    for (const m of onDead) {
      const job = jobOf(m);
      const vs = await versions(pm, m.accountId);
      expect(vs.filter((v) => v.state === 'CURRENT')).toHaveLength(1);
      const current = vs.find((v) => v.state === 'CURRENT')!;
      const pending = vs.find((v) => v.id === job.pendingVersionId)!;
      const trail = job.steps.map((s) => `${s.step}:${s.status}`);
      if (job.state === 'succeeded') {
        expect(current.id).toBe(pending.id);
        expect(trail).toContain('verify-new:done');
      } else if (job.state === 'failed') {
        expect(job.errorCode).toBe('UNREACHABLE');
        expect(job.attempts).toBe(2);
        expect(trail).toContain('retry:info');
        expect(pending.state).toBe('FAILED');
        expect(current.version).toBe(1);
        expect(await pm.db.account.findUniqueOrThrow({ where: { id: m.accountId } })).toMatchObject({ status: 'NotInSync', statusReason: 'UNREACHABLE' });
        unreachable += 1;
      } else {
        expect(job.state).toBe('unverified');
        expect(job.errorCode).not.toBe('OUTCOME_UNKNOWN');
        expect(pending.state).toBe('PENDING');
        expect(current.version).toBe(1);
      }
    }
    expect(unreachable).toBeGreaterThanOrEqual(1);
    expect(settled.counts.succeeded).toBeGreaterThanOrEqual(5);
  }, 60_000);
});

describe('a target lost after it applied the change, before PassMan could verify it', () => {
  let pm: TestApi | undefined;
  let target: SshTarget | undefined;
  let link: TcpRelay | undefined;
  afterAll(async () => {
    await pm?.close();
    await link?.close();
    await target?.stop();
  });

  it('the job waits unverified with the new version PENDING (never FAILED), then settles once the target answers', async () => {
    [pm, target] = await Promise.all([createTestApi(), startSshTarget()]);
    // PassMan reaches the target through a relay, so the network can go down at a chosen moment.
    link = await startTcpRelay(target);
    const operator = await loginAs(pm, 'operator');
    const targetId = await registerTarget(operator, { host: link.host, port: link.port, fingerprints: target.fingerprints });
    const [m] = await members(operator, target, targetId, 1);
    // The network goes down the moment the target has applied the change.
    const faults = { hit: async (point: string) => (point === 'after-applied' ? link!.pause() : undefined) };
    pm.startWorker({ leaseMs: 1_000, maxAttempts: 2, backoffBaseMs: 100, faults });
    const res = await client(operator).post(`/accounts/${m!.accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202);
    const jobId = res.body.id as string;

    const waiting = await until('the reset to end its last attempt', async () => {
      const row = await pm!.db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: { orderBy: { id: 'asc' } }, account: true } });
      return row.attempts >= 2 && row.account?.lockedByJobId === null ? row : undefined;
    });
    expect(waiting).toMatchObject({ state: 'unverified', errorCode: 'UNREACHABLE', finishedAt: null });
    expect(waiting.steps.map((s) => `${s.step}:${s.status}`)).toEqual(expect.arrayContaining(['apply:done', 'retry:info', 'recover:failed']));
    const kept = await versions(pm, m!.accountId);
    expect(kept.map((v) => [v.version, v.state])).toEqual([
      [1, 'CURRENT'],
      [2, 'PENDING'],
    ]);
    expect(waiting.account).toMatchObject({ status: 'NotInSync', statusReason: 'UNREACHABLE' });
    // Why it must not fail: the PENDING secret is the one the target holds now (OpenSSH, directly).
    const pendingSecret = openedSecret(pm.vault, kept[1]!);
    expect((await opensshLogin({ target, user: m!.name, credential: { password: pendingSecret } })).code).toBe(0);

    // The network is back: a worker runs the job again once it is due; it finds the new secret works and promotes it.
    await link.resume();
    const settled = await until('the job to succeed', async () => {
      const row = await pm!.db.job.findUniqueOrThrow({ where: { id: jobId } });
      return row.state === 'succeeded' ? row : undefined;
    });
    expect(settled.errorCode).toBeNull();
    const now = await currentSecret(operator, m!.accountId);
    expect([now.version, now.secret === pendingSecret]).toEqual([2, true]);
    expect(await pm.db.account.findUniqueOrThrow({ where: { id: m!.accountId } })).toMatchObject({ status: 'InSync', lockedByJobId: null });
  }, 60_000);
});

describe('several workers woken by one new job', () => {
  let pm: TestApi | undefined;
  let target: SshTarget | undefined;
  afterAll(async () => {
    await pm?.close();
    await target?.stop();
  });

  it('run it once: one claims it, the others skip it', async () => {
    [pm, target] = await Promise.all([createTestApi(), startSshTarget()]);
    const operator = await loginAs(pm, 'operator');
    const [m] = await members(operator, target, await registerTarget(operator, target), 1);
    // Three workers on one queue, each woken by the same notice of the insert.
    const workers = [
      pm.startWorker({ leaseMs: 5_000, concurrency: 4 }),
      pm.startWorker({ leaseMs: 5_000, concurrency: 4 }),
      pm.startWorker({ leaseMs: 5_000, concurrency: 4 }),
    ];
    expect(new Set(workers.map((w) => w.id)).size).toBe(3);
    const res = await client(operator).post(`/accounts/${m!.accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202);
    const jobId = res.body.id as string;
    const job = await until('the reset to finish', async () => {
      const row = await pm!.db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: true } });
      return row.state === 'succeeded' ? row : undefined;
    });
    expect(job.attempts).toBe(1);
    expect(job.steps.filter((s) => s.step === 'attempt')).toHaveLength(1);
    expect(job).toMatchObject({ lockedBy: null, lockedUntil: null });
    const now = await currentSecret(operator, m!.accountId);
    expect((await opensshLogin({ target, user: m!.name, credential: { password: now.secret } })).code).toBe(0);
  }, 60_000);
});

describe('PostgreSQL restarted during a batch', () => {
  let dataDir: string | undefined;
  let pg: EmbeddedDatabase | undefined;
  let pm: TestApi | undefined;
  let target: SshTarget | undefined;
  afterEach(async () => {
    await pm?.close().catch(() => undefined);
    await target?.stop();
    await pg?.stop().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('bulk RESET of 10 accounts: every job ends succeeded and the CURRENT secret logs in', async () => {
    // A cluster of its own: the run's shared server is never restarted.
    dataDir = await mkdtemp(join(tmpdir(), 'passman-pg-restart-'));
    const port = await freePort();
    const database = `passman_${randomBytes(4).toString('hex')}`;
    const [cluster, sshd] = await Promise.all([startEmbeddedPostgres({ dataDir, port, database }), startSshTarget()]);
    pg = cluster;
    target = sshd;
    await migrate(pg.url);
    pm = await createTestApi({ databaseUrl: pg.url });
    const operator = await loginAs(pm, 'operator');
    const targetId = await registerTarget(operator, target);
    const accounts = await members(operator, target, targetId, 10);
    pm.startWorker({ leaseMs: 2_000, concurrency: 2, maxAttempts: 4, backoffBaseMs: 100 });
    const batch = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds: accounts.map((m) => m.accountId), reset: { credentialType: 'PASSWORD' } })
      .expect(202);
    const batchId = batch.body.id as string;

    await until('two jobs of the batch to succeed', async () => (await pm!.db.job.count({ where: { batchId, state: 'succeeded' } })) >= 2);
    await pg.stop();
    pg = undefined;
    pg = await startEmbeddedPostgres({ dataDir, port, database });

    const jobs = await until(
      'every job of the batch to succeed',
      async () => {
        const rows = await pm!.db.job.findMany({ where: { batchId } });
        return rows.length === 10 && rows.every((j) => j.state === 'succeeded') ? rows : undefined;
      },
      45_000,
    );
    expect(jobs.every((j) => j.errorCode === null || j.errorCode === 'UNREACHABLE')).toBe(true);
    for (const m of accounts) {
      const vs = await versions(pm, m.accountId);
      expect(vs.map((v) => [v.version, v.state])).toEqual([
        [1, 'RETIRED'],
        [2, 'CURRENT'],
      ]);
      const now = await currentSecret(operator, m.accountId);
      expect((await opensshLogin({ target, user: m.name, credential: { password: now.secret } })).code).toBe(0);
      expect((await opensshLogin({ target, user: m.name, credential: { password: m.password } })).code).not.toBe(0);
    }
  }, 60_000);
});
