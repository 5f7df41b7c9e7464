import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, migrate } from '@passman/db';
import { createEmptyDatabase, dropDatabase, startSshTarget, type SshTarget } from '@passman/testkit';
import { createMasterKeyRing, createVault } from '@passman/vault';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { openAuditKeys } from '../audit/audit-key.js';
import { createSettingsRepo } from '../vault/settings.repo.js';
import { DEFAULT_JOB_QUEUE } from './job-queue.js';
import { registerTarget } from './jobs.test-util.js';

const WORKER_MAIN = fileURLToPath(new URL('../../worker-main.ts', import.meta.url));
const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;

export interface WorkerProcess {
  child: ChildProcess;
  /** How it ended: the signal that killed it, or null. */
  exited: Promise<NodeJS.Signals | null>;
  /** How it ended: its exit status (null when a signal killed it) and the signal. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What it logged so far (warnings and worse: one JSON line each). */
  log(): string;
}

/**
 * An installation in a database of its own — the API in this process, one real sshd target —
 * whose workers run `npm run worker`'s entry as real processes, sharing only the database and
 * the master key, as on other machines.
 */
export interface WorkerProcessInstallation {
  pm: TestApi;
  operator: LoggedIn;
  target: SshTarget;
  targetId: string;
  /** Starts a worker process with PassMan's settings from `env` (on top of a short job lease). */
  startWorker(env?: Record<string, string>): WorkerProcess;
  /** Ends every worker process still running with `signal`, and waits for them. */
  stopWorkers(signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
}

export async function startWorkerProcessInstallation(databaseName: string): Promise<WorkerProcessInstallation> {
  const masterKey = randomBytes(32);
  const databaseUrl = await createEmptyDatabase(adminUrl(), databaseName);
  await migrate(databaseUrl);
  const vault = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, masterKey]]), activeVersion: 1 }) });
  // The worker processes open the installation's audit key from this database, as PassMan does;
  // the API here must sign (host-key approvals) and chain with the same keys.
  const db = createPrismaClient(databaseUrl, { max: 1 });
  const auditKeys = await openAuditKeys({ vault, settings: createSettingsRepo(db) }).finally(() => db.$disconnect());
  const [pm, target] = await Promise.all([createTestApi({ databaseUrl, queue: DEFAULT_JOB_QUEUE, vault, auditKeys }), startSshTarget()]);
  const operator = await loginAs(pm, 'operator');
  const targetId = await registerTarget(operator, target);
  const workers = new Set<ChildProcess>();

  const stop = async (child: ChildProcess, signal: NodeJS.Signals): Promise<void> => {
    workers.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill(signal);
    await exited;
  };

  return {
    pm,
    operator,
    target,
    targetId,
    startWorker(env = {}) {
      const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', WORKER_MAIN], {
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: databaseUrl,
          PASSMAN_MASTER_KEY: masterKey.toString('base64'),
          PASSMAN_JOB_LEASE_SECONDS: '2',
          PASSMAN_LOG_LEVEL: 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      workers.add(child);
      let log = '';
      child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      return { child, exited: ended.then((e) => e.signal), ended, log: () => log };
    },
    stopWorkers: async (signal = 'SIGKILL') => {
      await Promise.all([...workers].map((child) => stop(child, signal)));
    },
    async close() {
      await Promise.all([...workers].map((child) => stop(child, 'SIGKILL')));
      await pm.close();
      await target.stop();
      await dropDatabase(adminUrl(), databaseUrl);
    },
  };
}
