import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrismaClient, migrate } from '@passman/db';
import { createEmptyDatabase, dropDatabase, opensshLogin, startSshTarget, type SshTarget } from '@passman/testkit';
import { createMasterKeyRing, createVault } from '@passman/vault';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { openAuditKeys } from '../audit/audit-key.js';
import { createSettingsRepo } from '../vault/settings.repo.js';
import { api as client, newPassword, newUser, registerAccount, registerTarget, waitForJob } from './jobs.test-util.js';
import { DEFAULT_JOB_QUEUE } from './job-queue.js';
import { CRASH_POINTS, type CrashPoint } from './worker/fault-injection.js';

// The worker runs as a real process and is killed with SIGKILL at each step of a reset;
// a fresh worker must then settle the job so that the credential that works is CURRENT.

const WORKER_MAIN = fileURLToPath(new URL('../../worker-main.ts', import.meta.url));
const masterKey = randomBytes(32);
const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
let databaseUrl: string;
let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  databaseUrl = await createEmptyDatabase(adminUrl(), 'passman_crash');
  await migrate(databaseUrl);
  const vault = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, masterKey]]), activeVersion: 1 }) });
  // The worker processes open the installation's audit key from this database, as PassMan does;
  // the API here must sign (host-key approvals) and chain with the same keys.
  const db = createPrismaClient(databaseUrl, { max: 1 });
  const auditKeys = await openAuditKeys({ vault, settings: createSettingsRepo(db) }).finally(() => db.$disconnect());
  [pm, target] = await Promise.all([createTestApi({ databaseUrl, queue: DEFAULT_JOB_QUEUE, vault, auditKeys }), startSshTarget()]);
  operator = await loginAs(pm, 'operator');
  targetId = await registerTarget(operator, target);
}, 60_000);
const workers = new Set<ChildProcess>();
afterEach(() => {
  // A worker that never reached its crash point (a failing test) must not outlive the test.
  for (const child of workers) child.kill('SIGKILL');
  workers.clear();
});
afterAll(async () => {
  await pm?.close();
  await target?.stop();
  if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
});

/** Runs worker-main.ts armed to SIGKILL itself at `point`; resolves with how it ended. */
function crashingWorker(point: CrashPoint): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', WORKER_MAIN], {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      PASSMAN_MASTER_KEY: masterKey.toString('base64'),
      PASSMAN_FAULT_INJECTION: '1',
      PASSMAN_CRASH_AT: point,
      PASSMAN_JOB_LEASE_SECONDS: '2',
      PASSMAN_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.add(child);
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
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
  it.each(CRASH_POINTS.flatMap((point) => [[point, 'PASSWORD'] as const, [point, 'SSH_KEY'] as const]))(
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

describe('the audit trail of those crashes', () => {
  it('verifies: what the killed workers and the API appended is one chain under the installation’s key', async () => {
    const auditor = await loginAs(pm, 'auditor');
    const result = (await auditor.agent.get('/api/v1/audit/verify').expect(200)).body;
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.checked).toBeGreaterThan(50);
  });
});
