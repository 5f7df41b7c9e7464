import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { opensshLogin, type SshTarget } from '@passman/testkit';
import type { LoggedIn, TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount, waitForBatch } from './jobs.test-util.js';
import { startWorkerProcessInstallation, type WorkerProcess, type WorkerProcessInstallation } from './worker-processes.test-util.js';
import { waitUntil } from '../../test/wait-until.js';

// Two worker processes (`npm run worker`'s entry) beside the API, sharing only the database:
// they split a batch between them, and when one is killed with SIGKILL mid-batch the other
// finishes its jobs — each credential changed once, proven on a real sshd.

const BATCH = 12;
let installation: WorkerProcessInstallation;
let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  // A database of its own: the worker processes take jobs from the installation's queue there.
  installation = await startWorkerProcessInstallation('passman_two_workers');
  ({ pm, operator, target, targetId } = installation);
}, 60_000);
afterEach(() => installation.stopWorkers());
afterAll(() => installation?.close());

/** A worker process; `crashOnHit` arms it to SIGKILL itself when the n-th reset has applied its change on the target. */
function startWorker(options: { crashOnHit?: number } = {}): WorkerProcess {
  const crash: Record<string, string> = options.crashOnHit
    ? { PASSMAN_FAULT_INJECTION: '1', PASSMAN_CRASH_AT: 'after-applied', PASSMAN_CRASH_ON_HIT: String(options.crashOnHit) }
    : {};
  return installation.startWorker({ PASSMAN_WORKER_CONCURRENCY: '2', PASSMAN_CHECK_INTERVAL_HOURS: '0', PASSMAN_ROTATE: 'false', ...crash });
}

async function accounts(count: number) {
  const users = Array.from({ length: count }, () => ({ name: newUser('w'), password: newPassword() }));
  await target.addUsers(users);
  return Promise.all(users.map(async (u) => ({ ...u, accountId: await registerAccount(operator, targetId, u.name, u.password) })));
}

/** Resolves once `count` worker processes listen for new jobs (worker/queue-listener.ts): they are ready to claim. */
async function listening(count: number): Promise<void> {
  await waitUntil(
    async () => {
      const [row] = await pm.db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'passman-worker-listen'`;
      return row!.n >= count;
    },
    `${count} worker processes listen for jobs`,
    30_000,
  );
}

/** Per job: the worker (pid) of each attempt, in order. */
async function attemptsByJob(batchId: string) {
  const jobs = await pm.db.job.findMany({ where: { batchId }, include: { steps: { orderBy: { id: 'asc' } } } });
  return jobs.map((job) => ({
    job,
    workers: job.steps.filter((s) => s.step === 'attempt' && s.status === 'started').map((s) => (s.detail as { worker: number }).worker),
    promotions: job.steps.filter((s) => s.step === 'promote' && s.status === 'done').length,
    /** Attempts started after the job's secret was promoted: a run of a job that had finished. */
    attemptsAfterPromotion: job.steps.filter((s, i) => s.step === 'attempt' && job.steps.slice(0, i).some((p) => p.step === 'promote' && p.status === 'done'))
      .length,
  }));
}

describe('two worker processes on one queue', () => {
  it('split a batch; the jobs of one killed with SIGKILL mid-batch are finished by the other, none twice', async () => {
    const members = await accounts(BATCH);
    // The first dies on its third reset that reached the target: with two slots it claimed that
    // job only after one of its runs ended, and it dies holding one whose change the target
    // applied but nobody verified yet.
    const doomed = startWorker({ crashOnHit: 3 });
    const survivor = startWorker();
    // Both ready before the batch is queued, so that both are woken by it.
    await listening(2);
    const res = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds: members.map((m) => m.accountId), reset: { credentialType: 'PASSWORD' } })
      .expect(202);
    const batchId = res.body.id as string;

    expect(await doomed.exited).toBe('SIGKILL');
    const batch = await waitForBatch(operator, batchId, { timeoutMs: 60_000 });
    expect(batch.counts).toMatchObject({ succeeded: BATCH, failed: 0, unverified: 0, queued: 0, running: 0 });

    const runs = await attemptsByJob(batchId);
    const ranBy = (pid: number) => runs.filter((r) => r.workers.includes(pid));
    // Split: both processes ran jobs of the batch, and nothing else did.
    expect(ranBy(doomed.child.pid!).length).toBeGreaterThanOrEqual(3);
    expect(ranBy(survivor.child.pid!).length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.workers.every((pid) => pid === doomed.child.pid || pid === survivor.child.pid))).toBe(true);
    // Taken over: the jobs the killed worker held are finished by the other — among them the one
    // whose change the target had applied, not yet verified (its other slot may have held one
    // at any step, which the survivor resumes or recovers by probing).
    const takenOver = runs.filter((r) => r.workers[0] === doomed.child.pid && r.workers.includes(survivor.child.pid!));
    const steps = (r: (typeof runs)[number]) => r.job.steps.map((s) => `${s.step}:${s.status}`);
    expect(takenOver.filter((r) => steps(r).includes('apply:done')).length).toBeGreaterThanOrEqual(1);
    // None twice: every job promoted its new secret once, and none the killed worker did not hold
    // ran again after that (one it held may have been promoted just before the kill: the
    // survivor then only finishes it).
    expect(runs.map((r) => r.promotions)).toEqual(runs.map(() => 1));
    const ranAfterPromotion = runs.filter((r) => !takenOver.includes(r) && r.attemptsAfterPromotion > 0);
    expect(
      ranAfterPromotion.map((r) => ({ workers: r.workers, steps: r.job.steps.map((x) => [x.step, x.status, x.at.toISOString(), JSON.stringify(x.detail)]) })),
    ).toEqual([]);
    expect(runs.every((r) => r.job.lockedBy === null)).toBe(true);
    const resets = await pm.db.auditEvent.count({ where: { action: 'credential.reset', requestId: { in: runs.map((r) => `job:${r.job.id}`) } } });
    expect(resets).toBe(BATCH);

    // On the target: each account's one new password logs in, its old one no longer does.
    for (const m of members) {
      const versions = await pm.db.credentialVersion.findMany({
        where: { credential: { accountId: m.accountId, type: 'PASSWORD' } },
        orderBy: { version: 'asc' },
      });
      expect(versions.map((v) => [v.version, v.state])).toEqual([
        [1, 'RETIRED'],
        [2, 'CURRENT'],
      ]);
      const now = (await client(operator).post(`/accounts/${m.accountId}/checkout`, { credentialType: 'PASSWORD' }).expect(200)).body as { secret: string };
      expect((await opensshLogin({ target, user: m.name, credential: { password: now.secret } })).code).toBe(0);
      expect((await opensshLogin({ target, user: m.name, credential: { password: m.password } })).code).not.toBe(0);
    }
    await installation.stopWorkers('SIGTERM');
  }, 120_000);
});
