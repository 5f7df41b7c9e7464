import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { opensshLogin, type SshTarget } from '@passman/testkit';
import { loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount, waitForJob } from './jobs.test-util.js';
import { startWorkerProcessInstallation, type WorkerProcessInstallation } from './worker-processes.test-util.js';
import { RESET_CRASH_POINTS, type ResetCrashPoint } from './worker/fault-injection.js';

// The worker runs as a real process and is killed with SIGKILL at each step of a reset;
// a fresh worker must then settle the job so that the credential that works is CURRENT.

let installation: WorkerProcessInstallation;
let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  installation = await startWorkerProcessInstallation('passman_crash');
  ({ pm, operator, target, targetId } = installation);
}, 60_000);
// A worker that never reached its crash point (a failing test) must not outlive the test.
afterEach(() => installation.stopWorkers());
afterAll(() => installation?.close());

/** Runs worker-main.ts armed to SIGKILL itself at `point`; resolves with how it ended. */
function crashingWorker(point: ResetCrashPoint): Promise<NodeJS.Signals | null> {
  return installation.startWorker({ PASSMAN_FAULT_INJECTION: '1', PASSMAN_CRASH_AT: point }).exited;
}

async function setUp(kind: 'PASSWORD' | 'SSH_KEY') {
  const name = newUser();
  const password = newPassword();
  await target.addUsers([{ name, password }]);
  const accountId = await registerAccount(operator, targetId, name, password);
  if (kind === 'SSH_KEY') {
    // A first key, installed normally, so the crashing reset replaces one.
    const recovery = pm.startWorker({ leaseMs: 2_000 });
    const first = await client(operator)
      .post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true })
      .expect(202);
    await waitForJob(operator, first.body.id);
    await recovery.stop();
  }
  return { name, password, accountId };
}

async function current(accountId: string, credentialType: 'PASSWORD' | 'SSH_KEY') {
  return (await client(operator).post(`/accounts/${accountId}/checkout`, { credentialType }).expect(200)).body as { secret: string; version: number };
}

describe('a reset survives its worker being killed', () => {
  it.each(RESET_CRASH_POINTS.flatMap((point) => [[point, 'PASSWORD'] as const, [point, 'SSH_KEY'] as const]))(
    'SIGKILL at %s (%s): recovery keeps the credential that works, nothing is lost',
    async (point, kind) => {
      const { name, password, accountId } = await setUp(kind);
      const before = await current(accountId, kind);
      const exited = crashingWorker(point);
      const res = await client(operator)
        .post(`/accounts/${accountId}/reset`, { credentialType: kind, ...(kind === 'SSH_KEY' ? { sshKeyType: 'ssh-ed25519' } : {}), generate: true })
        .expect(202);
      expect(await exited).toBe('SIGKILL');

      const recovery = pm.startWorker({ leaseMs: 2_000 });
      const job = await waitForJob(operator, res.body.id, { timeoutMs: 45_000 });
      await recovery.stop();
      expect(job.state).toBe('succeeded');

      const now = await current(accountId, kind);
      expect(now.version).toBe(before.version + 1);
      const credential = kind === 'PASSWORD' ? { password: now.secret } : { privateKey: now.secret };
      expect((await opensshLogin({ target, user: name, credential })).code).toBe(0);
      const old = kind === 'PASSWORD' ? { password } : { privateKey: before.secret };
      expect((await opensshLogin({ target, user: name, credential: old })).code).not.toBe(0);

      const states = await pm.db.credentialVersion.findMany({ where: { credential: { accountId, type: kind } }, orderBy: { version: 'asc' } });
      expect(states.filter((v) => v.state === 'CURRENT')).toHaveLength(1);
      const trail = await pm.db.auditEvent.findMany({
        where: { OR: [{ objectId: job.credentialId }, { details: { path: ['jobId'], equals: job.id } }] },
        orderBy: { seq: 'asc' },
      });
      expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['credential.reset.requested', 'credential.reset']));
    },
    60_000,
  );
});

describe('a worker whose stop does not end by its deadline', () => {
  it('exits with status 1 after PASSMAN_SHUTDOWN_TIMEOUT_SECONDS; another worker finishes its reset, nothing lost', async () => {
    const { name, accountId } = await setUp('PASSWORD');
    const before = await current(accountId, 'PASSWORD');
    // SIGTERM arrives while its run is stuck (as on a target that never answers): only the deadline ends it.
    const stuck = installation.startWorker({
      PASSMAN_FAULT_INJECTION: '1',
      PASSMAN_CRASH_AT: 'after-pending',
      PASSMAN_CRASH_SIGNAL: 'SIGTERM',
      PASSMAN_CRASH_THEN_HANG: '1',
      PASSMAN_SHUTDOWN_TIMEOUT_SECONDS: '1',
    });
    const res = await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202);
    expect(await stuck.ended).toEqual({ code: 1, signal: null });
    // The deadline ended it, not a stop that failed.
    expect(stuck.log()).toContain('still stopping at the shutdown deadline');
    expect(stuck.log()).not.toContain('shutdown failed');

    const recovery = pm.startWorker({ leaseMs: 2_000 });
    const job = await waitForJob(operator, res.body.id, { timeoutMs: 45_000 });
    await recovery.stop();
    expect(job.state).toBe('succeeded');
    const now = await current(accountId, 'PASSWORD');
    expect(now.version).toBe(before.version + 1);
    expect((await opensshLogin({ target, user: name, credential: { password: now.secret } })).code).toBe(0);
  }, 60_000);
});

describe('the audit trail of those crashes', () => {
  it('verifies: what the killed workers and the API appended is one chain under the installation’s key', async () => {
    const auditor = await loginAs(pm, 'auditor');
    const result = (await auditor.agent.get('/api/v1/audit/verify').expect(200)).body;
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.checked).toBeGreaterThan(50);
  });
});
