import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrate } from '@passman/db';
import { createEmptyDatabase, dropDatabase, opensshLogin, reserveClosedPort, startSshTarget, type ClosedPort, type SshTarget } from '@passman/testkit';
import { createLogger } from '../../lib/logger.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount, registerTarget, waitForJob } from '../jobs/jobs.test-util.js';
import { createScheduler, DEFAULT_SCHEDULER_OPTIONS, type SchedulerOptions } from './scheduler.js';

// Timed checks and rotation create ordinary jobs that the worker runs; the tests call `tick`
// themselves (no timers) and prove the outcome on a real sshd with OpenSSH's own client. A
// database of their own: a scheduler looks at every account, and other files' are not its business.

const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
let databaseUrl: string;
let closed: ClosedPort;
let pm: TestApi;
let operator: LoggedIn;
let admin: LoggedIn;
let target: SshTarget;
let targetId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  databaseUrl = await createEmptyDatabase(adminUrl(), 'passman_schedule');
  await migrate(databaseUrl);
  [pm, target, closed] = await Promise.all([createTestApi({ databaseUrl }), startSshTarget(), reserveClosedPort()]);
  pm.startWorker({ leaseMs: 5_000 });
  [operator, admin] = await Promise.all([loginAs(pm, 'operator'), loginAs(pm, 'admin')]);
  targetId = await registerTarget(operator, target);
}, 60_000);
afterAll(async () => {
  await pm?.close();
  await target?.stop();
  closed?.release();
  if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
});

function scheduler(options: Partial<SchedulerOptions> = {}) {
  return createScheduler(
    { db: pm.db, vault: pm.vault, audit: pm.services.audit, queue: pm.queue, policies: pm.services.policies, logger: createLogger({ level: 'silent' }) },
    { ...DEFAULT_SCHEDULER_OPTIONS, ...options },
  );
}

async function account(options: { lastCheckedDaysAgo?: number; createdDaysAgo?: number; policyId?: string } = {}) {
  const name = newUser('s');
  const password = newPassword();
  await target.addUsers([{ name, password }]);
  const accountId = await registerAccount(operator, targetId, name, password);
  if (options.policyId) await client(admin).patch(`/accounts/${accountId}`, { policyId: options.policyId }).expect(200);
  const ago = (days: number | undefined) => (days === undefined ? undefined : new Date(Date.now() - days * DAY));
  await pm.db.account.update({
    where: { id: accountId },
    data: { lastCheckedAt: ago(options.lastCheckedDaysAgo) ?? null, createdAt: ago(options.createdDaysAgo) ?? new Date() },
  });
  return { name, password, accountId };
}

/** Makes the account's CURRENT password look `days` old, and the account InSync, as a real estate would be. */
async function agePassword(accountId: string, days: number) {
  await pm.db.credentialVersion.updateMany({
    where: { state: 'CURRENT', credential: { accountId, type: 'PASSWORD' } },
    data: { stateChangedAt: new Date(Date.now() - days * DAY) },
  });
  await pm.db.account.update({ where: { id: accountId }, data: { status: 'InSync' } });
}

const jobsOf = (accountId: string) => pm.db.job.findMany({ where: { accountId }, orderBy: { createdAt: 'asc' } });

describe('timed checks', () => {
  it('checks accounts not checked for longer than the interval, once per interval, and leaves the others alone', async () => {
    const stale = await account({ lastCheckedDaysAgo: 2 });
    const neverCheckedOld = await account({ createdDaysAgo: 3 });
    const fresh = await account({ lastCheckedDaysAgo: 0.1 });
    const neverCheckedNew = await account();
    const rotationsOff = scheduler({ rotate: false, checksPerTick: 10_000 });

    // This process's clock, as the worker here stamps its checks: a check of this tick is no older.
    const tickedAt = new Date();
    const { checks } = await rotationsOff.tick();
    const scheduled = await pm.db.job.findMany({ where: { id: { in: checks } } });
    const mine = [stale, neverCheckedOld, fresh, neverCheckedNew].map((a) => a.accountId);
    expect(
      scheduled
        .filter((j) => mine.includes(j.accountId ?? ''))
        .map((j) => j.accountId)
        .sort(),
    ).toEqual([stale.accountId, neverCheckedOld.accountId].sort());
    expect(new Set(scheduled.map((j) => j.kind))).toEqual(new Set(['CHECK']));
    expect(new Set(scheduled.map((j) => j.batchId)).size).toBe(1);
    expect(scheduled.every((j) => j.requestedById === null)).toBe(true);

    for (const a of [stale, neverCheckedOld]) {
      const job = await waitForJob(operator, scheduled.find((j) => j.accountId === a.accountId)!.id);
      expect(job.state).toBe('succeeded');
      const row = await pm.db.account.findUniqueOrThrow({ where: { id: a.accountId } });
      expect(row.status).toBe('InSync');
      expect(row.lastCheckedAt!.getTime()).toBeGreaterThanOrEqual(tickedAt.getTime());
    }
    // Checked now: the next tick leaves them alone.
    const again = await rotationsOff.tick();
    const second = await pm.db.job.findMany({ where: { id: { in: again.checks } } });
    expect(second.filter((j) => mine.includes(j.accountId ?? ''))).toEqual([]);
    const audit = await pm.db.auditEvent.findFirst({ where: { action: 'batch.create', objectId: scheduled[0]!.batchId! } });
    expect(audit).toMatchObject({ actorName: 'scheduler', actorId: null });
  });

  it('an unreachable host is tried once per interval, not on every tick', async () => {
    const deadTarget = await client(operator)
      .post('/targets', { name: `dead-${newUser()}`, address: closed.host, port: closed.port })
      .expect(201);
    const dead = await registerAccount(operator, deadTarget.body.id, newUser('d'), newPassword());
    await pm.db.account.update({ where: { id: dead }, data: { lastCheckedAt: new Date(Date.now() - 2 * DAY) } });
    const rotationsOff = scheduler({ rotate: false, checksPerTick: 10_000 });
    const first = await rotationsOff.tick();
    const job = (await jobsOf(dead)).find((j) => first.checks.includes(j.id));
    expect(job).toBeDefined();
    await waitForJob(operator, job!.id, { timeoutMs: 60_000 });
    const second = await rotationsOff.tick();
    expect((await jobsOf(dead)).filter((j) => second.checks.includes(j.id))).toEqual([]);
  }, 90_000);

  it('two schedulers ticking at once start each check once', async () => {
    const stale = await Promise.all([account({ lastCheckedDaysAgo: 5 }), account({ lastCheckedDaysAgo: 5 })]);
    await Promise.all([scheduler({ rotate: false, checksPerTick: 10_000 }).tick(), scheduler({ rotate: false, checksPerTick: 10_000 }).tick()]);
    for (const a of stale) expect((await jobsOf(a.accountId)).filter((j) => j.kind === 'CHECK')).toHaveLength(1);
  });
});

describe('rotation by policy', () => {
  it('resets on the target every password older than its policy’s interval (OpenSSH proves the new one), and nothing else', async () => {
    const policy = (
      await client(admin)
        .post('/policies', { name: `rotate-${newUser()}`, passwordLength: 24, rotationIntervalDays: 30 })
        .expect(201)
    ).body as { id: string };
    const due = await account({ policyId: policy.id });
    const notYet = await account({ policyId: policy.id });
    const notInSync = await account({ policyId: policy.id });
    const noRotation = await account(); // the default policy rotates nothing
    await agePassword(due.accountId, 31);
    await agePassword(notYet.accountId, 29);
    await agePassword(notInSync.accountId, 40);
    await pm.db.account.update({ where: { id: notInSync.accountId }, data: { status: 'NotInSync', statusReason: 'AUTH_REJECTED' } });
    await agePassword(noRotation.accountId, 400);

    const checksOff = scheduler({ checkEveryMs: null, rotationsPerTick: 10_000 });
    const { rotations } = await checksOff.tick();
    const started = await pm.db.job.findMany({ where: { id: { in: rotations } } });
    const mine = [due, notYet, notInSync, noRotation].map((a) => a.accountId);
    expect(started.filter((j) => mine.includes(j.accountId ?? '')).map((j) => j.accountId)).toEqual([due.accountId]);
    const job = await waitForJob(operator, started.find((j) => j.accountId === due.accountId)!.id);
    expect(job).toMatchObject({ kind: 'RESET', state: 'succeeded' });
    expect(job.params).toMatchObject({ changeOnTarget: true, origin: 'GENERATED' });

    const now = (await client(operator).post(`/accounts/${due.accountId}/checkout`, { credentialType: 'PASSWORD' }).expect(200)).body as {
      secret: string;
      version: number;
    };
    expect(now.version).toBe(2);
    expect(now.secret).toHaveLength(24);
    expect((await opensshLogin({ target, user: due.name, credential: { password: now.secret } })).code).toBe(0);
    expect((await opensshLogin({ target, user: due.name, credential: { password: due.password } })).code).not.toBe(0);
    const requested = await pm.db.auditEvent.findFirst({ where: { action: 'credential.reset.requested', details: { path: ['jobId'], equals: job.id } } });
    expect(requested).toMatchObject({ actorName: 'scheduler', actorId: null });

    // Rotated now: nothing is due on the next tick.
    const next = await checksOff.tick();
    expect((await pm.db.job.findMany({ where: { id: { in: next.rotations } } })).filter((j) => mine.includes(j.accountId ?? ''))).toEqual([]);
  });

  it('rotates an SSH key the same way: a new key of its type on the target, the old one removed', async () => {
    const policy = (
      await client(admin)
        .post('/policies', { name: `rotate-${newUser()}`, passwordLength: 20, rotationIntervalDays: 90 })
        .expect(201)
    ).body as { id: string };
    const owner = await account({ policyId: policy.id });
    const first = await client(operator)
      .post(`/accounts/${owner.accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true })
      .expect(202);
    expect((await waitForJob(operator, first.body.id)).state).toBe('succeeded');
    const oldKey = (await client(operator).post(`/accounts/${owner.accountId}/checkout`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519' }).expect(200))
      .body as { secret: string };
    await pm.db.credentialVersion.updateMany({
      where: { state: 'CURRENT', credential: { accountId: owner.accountId, type: 'SSH_KEY' } },
      data: { stateChangedAt: new Date(Date.now() - 91 * DAY) },
    });
    await pm.db.account.update({ where: { id: owner.accountId }, data: { status: 'InSync' } });

    const { rotations } = await scheduler({ checkEveryMs: null, rotationsPerTick: 10_000 }).tick();
    const job = (await jobsOf(owner.accountId)).find((j) => rotations.includes(j.id));
    expect(job).toMatchObject({ kind: 'RESET', params: { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519' } });
    expect((await waitForJob(operator, job!.id)).state).toBe('succeeded');
    const newKey = (await client(operator).post(`/accounts/${owner.accountId}/checkout`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519' }).expect(200))
      .body as { secret: string; version: number };
    expect(newKey.version).toBe(2);
    expect((await opensshLogin({ target, user: owner.name, credential: { privateKey: newKey.secret } })).code).toBe(0);
    expect((await opensshLogin({ target, user: owner.name, credential: { privateKey: oldKey.secret } })).code).not.toBe(0);
  });

  it('two schedulers ticking at once rotate each account once', async () => {
    const policy = (
      await client(admin)
        .post('/policies', { name: `rotate-${newUser()}`, passwordLength: 20, rotationIntervalDays: 7 })
        .expect(201)
    ).body as { id: string };
    const due = await account({ policyId: policy.id });
    await agePassword(due.accountId, 8);
    await Promise.all([scheduler({ checkEveryMs: null }).tick(), scheduler({ checkEveryMs: null }).tick()]);
    const resets = (await jobsOf(due.accountId)).filter((j) => j.kind === 'RESET');
    expect(resets).toHaveLength(1);
    expect((await waitForJob(operator, resets[0]!.id)).state).toBe('succeeded');
  });
});
