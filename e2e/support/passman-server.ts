import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createMigratedDatabase, dropDatabase, freePort, startTestDatabaseServer } from '@passman/testkit';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The server's output of the last run, kept for when a spec fails. */
export const SERVER_LOG = `${REPO_ROOT}test-results/e2e-server.log`;

export interface PassmanServer {
  baseURL: string;
  adminUsername: string;
  adminPassword: string;
  stop(): Promise<void>;
}

async function waitUntilReady(baseURL: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`PassMan exited before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${baseURL}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`PassMan was not ready within ${timeoutMs} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the built PassMan (`apps/api/dist/main.js`, which also serves `apps/web/dist`) on a
 * free port with a fresh migrated database, a random admin password and a random master key.
 * Uses the PostgreSQL of `DATABASE_URL` when set, else an embedded one.
 */
export async function startPassman(): Promise<PassmanServer> {
  const dbServer = await startTestDatabaseServer();
  let databaseUrl: string | undefined;
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child) await stopChild(child);
    if (databaseUrl) await dropDatabase(dbServer.adminUrl, databaseUrl).catch(() => undefined);
    await dbServer.stop();
  };
  try {
    databaseUrl = await createMigratedDatabase(dbServer.adminUrl, 'passman_e2e');
    const port = await freePort();
    const adminPassword = `e2e-${randomBytes(12).toString('base64url')}`;
    const baseURL = `http://127.0.0.1:${port}`;
    let log = '';
    child = spawn(process.execPath, ['--enable-source-maps', 'apps/api/dist/main.js'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        PASSMAN_HOST: '127.0.0.1',
        PASSMAN_PORT: String(port),
        PASSMAN_ADMIN_USERNAME: 'admin',
        PASSMAN_ADMIN_PASSWORD: adminPassword,
        PASSMAN_MASTER_KEY: randomBytes(32).toString('base64'),
        PASSMAN_LOG_LEVEL: process.env.PASSMAN_E2E_LOG_LEVEL ?? 'warn',
      },
    });
    mkdirSync(`${REPO_ROOT}test-results`, { recursive: true });
    const file = createWriteStream(SERVER_LOG);
    child.once('exit', (code, signal) => file.end(`\n[passman exited: code ${code}, signal ${signal}]\n`));
    const keep = (chunk: Buffer): void => {
      file.write(chunk);
      log = (log + chunk.toString('utf8')).slice(-20_000);
      if (process.env.PASSMAN_E2E_SERVER_LOG) process.stderr.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await waitUntilReady(baseURL, child, () => log, 60_000);
    return { baseURL, adminUsername: 'admin', adminPassword, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
