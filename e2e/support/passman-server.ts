import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMigratedDatabase, dropDatabase, freePort, startTestDatabaseServer } from '@passman/testkit';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The server's output of the last run, kept for when a spec fails. */
export const SERVER_LOG = `${REPO_ROOT}test-results/e2e-server.log`;

export interface PassmanServer {
  /** https://127.0.0.1:<port>: PassMan serves HTTPS, with the self-signed certificate it made. */
  baseURL: string;
  adminUsername: string;
  adminPassword: string;
  /** SHA-256 fingerprint of that certificate, as PassMan printed it at start. */
  certificateFingerprint: string;
  stop(): Promise<void>;
}

/** GET over HTTPS trusting exactly the certificate PassMan made (Node's fetch cannot be given a CA). */
function readyOverTls(url: string, ca: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, { ca, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

async function waitUntilReady(baseURL: string, certFile: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`PassMan exited before it was ready:\n${output()}`);
    // The certificate exists before PassMan listens; until then there is nothing to ask.
    if (existsSync(certFile) && (await readyOverTls(`${baseURL}/readyz`, readFileSync(certFile, 'utf8')))) return;
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
 * free port with a fresh migrated database, a random admin password and a random master key,
 * serving HTTPS as `npm start` does (a self-signed certificate in a temporary data directory).
 * Uses the PostgreSQL of `DATABASE_URL` when set, else an embedded one. `env` adds or overrides
 * settings of that start (a spec that changes installation-wide settings starts its own PassMan).
 */
export async function startPassman(options: { env?: Record<string, string>; logFile?: string } = {}): Promise<PassmanServer> {
  const dbServer = await startTestDatabaseServer();
  // The master key comes from the environment, so the certificate is made in the data directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'passman-e2e-'));
  let databaseUrl: string | undefined;
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (child) await stopChild(child);
    if (databaseUrl) await dropDatabase(dbServer.adminUrl, databaseUrl).catch(() => undefined);
    await dbServer.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    databaseUrl = await createMigratedDatabase(dbServer.adminUrl, 'passman_e2e');
    const port = await freePort();
    const adminPassword = `e2e-${randomBytes(12).toString('base64url')}`;
    const baseURL = `https://127.0.0.1:${port}`;
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
        // Passkeys need a host name (an IP address cannot be a WebAuthn relying party): specs using them open localhost.
        PASSMAN_PUBLIC_URL: `https://localhost:${port}`,
        PASSMAN_DATA_DIR: dataDir,
        PASSMAN_ADMIN_USERNAME: 'admin',
        PASSMAN_ADMIN_PASSWORD: adminPassword,
        PASSMAN_MASTER_KEY: randomBytes(32).toString('base64'),
        PASSMAN_LOG_LEVEL: process.env.PASSMAN_E2E_LOG_LEVEL ?? 'warn',
        // The specs share one sign-in made at setup for the whole run: a step-up window shorter
        // than the run would ask them for the password again (step-up.spec.ts tests that, alone).
        PASSMAN_STEP_UP_WINDOW_SECONDS: '86400',
        ...options.env,
      },
    });
    mkdirSync(`${REPO_ROOT}test-results`, { recursive: true });
    const file = createWriteStream(options.logFile ?? SERVER_LOG);
    child.once('exit', (code, signal) => file.end(`\n[passman exited: code ${code}, signal ${signal}]\n`));
    const keep = (chunk: Buffer): void => {
      file.write(chunk);
      log = (log + chunk.toString('utf8')).slice(-20_000);
      if (process.env.PASSMAN_E2E_SERVER_LOG) process.stderr.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await waitUntilReady(baseURL, join(dataDir, 'tls-cert.pem'), child, () => log, 60_000);
    const fingerprint = /SHA-256 fingerprint: ([0-9A-F:]+)/.exec(log)?.[1];
    if (!fingerprint) throw new Error(`PassMan did not print its certificate's fingerprint:\n${log}`);
    return { baseURL, adminUsername: 'admin', adminPassword, certificateFingerprint: fingerprint, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
