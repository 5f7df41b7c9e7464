// `npm start` for real: main.ts run as a child process (TypeScript through tsx, as `npm run dev`), with
// a temporary data directory and its own database, spoken to over real TLS sockets.
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, dropDatabase, freePort, recordLogLine } from '@passman/testkit';
import { createSelfSignedCertificate } from './tls/self-signed.js';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;

let databaseUrl: string;
let dir: string;
const adminPassword = `start-${randomBytes(12).toString('base64url')}`;

beforeAll(async () => {
  databaseUrl = await createMigratedDatabase(adminUrl(), 'passman_start');
  dir = mkdtempSync(join(tmpdir(), 'passman-start-'));
  writeFileSync(join(dir, 'master.key'), randomBytes(32).toString('base64'), { mode: 0o600 });
});
afterAll(async () => {
  await dropDatabase(adminUrl(), databaseUrl).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Resolves with the match once the output (stdout + stderr) matches. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

async function startPassman(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  // tsx as a loader inside one process (not its CLI, which would not pass SIGHUP on).
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', 'apps/api/src/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      PASSMAN_DATA_DIR: join(dir, 'data'),
      PASSMAN_MASTER_KEY_FILE: join(dir, 'master.key'),
      PASSMAN_HOST: '127.0.0.1',
      PASSMAN_PORT: String(port),
      PASSMAN_ADMIN_PASSWORD: adminPassword,
      PASSMAN_RUN_WORKER: 'false',
      PASSMAN_LOG_LEVEL: 'info',
      PASSMAN_WEB_DIST: join(dir, 'no-web'),
      ...env,
    },
  });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const line of chunk.toString('utf8').split('\n')) if (line) recordLogLine(line);
    for (const waiter of [...waiters]) {
      const match = output.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = once(child, 'exit');
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const match = output.match(pattern);
      if (match) return resolve(match);
      waiters.push({ pattern, resolve });
      void exited.then(() => reject(new Error(`PassMan exited before printing ${pattern}:\n${output}`)));
    });
  const started: Started = {
    child,
    port,
    output: () => output,
    waitFor,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  await waitFor(/is listening/);
  return started;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTPS request trusting exactly `ca` (the certificate PassMan printed), over a fresh connection. */
async function httpsCall(port: number, ca: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Reply> {
  const req = httpsRequest({
    host: '127.0.0.1',
    port,
    path,
    method: init.method ?? 'GET',
    ca,
    agent: false,
    headers: init.body ? { 'Content-Type': 'application/json' } : {},
  });
  req.end(init.body ? JSON.stringify(init.body) : undefined);
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return { status: res.statusCode ?? 0, headers: res.headers, body };
}

async function httpCall(port: number, path: string, init: { method?: string; body?: unknown } = {}): Promise<Reply> {
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path,
    method: init.method ?? 'GET',
    agent: false,
    headers: init.body ? { 'Content-Type': 'application/json' } : {},
  });
  req.end(init.body ? JSON.stringify(init.body) : undefined);
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return { status: res.statusCode ?? 0, headers: res.headers, body };
}

/** The certificate the server presents to a new TLS connection (not verified: we compare it). */
async function servedCertificate(port: number, options: { maxVersion?: 'TLSv1.2' } = {}) {
  const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
  await once(socket, 'secureConnect');
  const seen = { fingerprint256: socket.getPeerCertificate().fingerprint256, protocol: socket.getProtocol() };
  socket.destroy();
  return seen;
}

const login = { username: 'admin', password: adminPassword };
const mode = (path: string) => statSync(path).mode & 0o777;

describe('npm start', () => {
  it('serves HTTPS with a self-signed certificate made beside the master key, whose fingerprint it prints', async () => {
    const metricsPort = await freePort();
    const passman = await startPassman({ PASSMAN_METRICS_LISTEN: `127.0.0.1:${metricsPort}` });
    try {
      const [, printed] = await passman.waitFor(/SHA-256 fingerprint: ([0-9A-F:]{95})/);
      const certPath = join(dir, 'tls-cert.pem');
      expect(mode(certPath)).toBe(0o600);
      expect(mode(join(dir, 'tls-key.pem'))).toBe(0o600);
      const served = await servedCertificate(passman.port);
      expect(served.fingerprint256).toBe(printed);
      expect(served.protocol).toBe('TLSv1.3');
      expect((await servedCertificate(passman.port, { maxVersion: 'TLSv1.2' })).protocol).toBe('TLSv1.2');
      // In the log too, for whoever reads it instead of the terminal.
      expect(passman.output()).toContain(`"fingerprint256":"${printed}"`);

      const ca = readFileSync(certPath, 'utf8');
      const ready = await httpsCall(passman.port, ca, '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.headers['strict-transport-security']).toMatch(/max-age=(\d+)/);
      expect(Number(/max-age=(\d+)/.exec(ready.headers['strict-transport-security'] as string)![1])).toBeGreaterThanOrEqual(31_536_000);
      expect(ready.headers['x-frame-options']).toBe('DENY');
      expect(ready.headers['content-security-policy']).toContain("frame-ancestors 'none'");

      const session = await httpsCall(passman.port, ca, '/api/v1/auth/login', { method: 'POST', body: login });
      expect(session.status).toBe(200);
      const cookie = (session.headers['set-cookie'] ?? []).find((c) => c.startsWith('passman_session='));
      expect(cookie).toMatch(/;\s*Secure/i);
      expect(cookie).toMatch(/;\s*HttpOnly/i);

      // PASSMAN_METRICS_LISTEN: /metrics only there, and 404 on the main port.
      expect((await httpsCall(passman.port, ca, '/metrics')).status).toBe(404);
      const metrics = await httpCall(metricsPort, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.body).toContain('passman_http_request_duration_seconds');
      expect((await httpCall(metricsPort, '/readyz')).status).toBe(404);
    } finally {
      await passman.stop();
    }
  }, 120_000);

  it('serves the certificate of PASSMAN_TLS_CERT/PASSMAN_TLS_KEY and reloads it on SIGHUP without dropping the listener', async () => {
    const names = ['localhost', '127.0.0.1'];
    const first = await createSelfSignedCertificate(names);
    const second = await createSelfSignedCertificate(names);
    const certPath = join(dir, 'real-cert.pem');
    const keyPath = join(dir, 'real-key.pem');
    writeFileSync(certPath, first.cert);
    writeFileSync(keyPath, first.key, { mode: 0o600 });
    const passman = await startPassman({ PASSMAN_TLS_CERT: certPath, PASSMAN_TLS_KEY: keyPath });
    let open: TLSSocket | undefined;
    try {
      const [, printed] = await passman.waitFor(/SHA-256 fingerprint: ([0-9A-F:]{95})/);
      expect(passman.output()).toContain('from PASSMAN_TLS_CERT');
      const before = await servedCertificate(passman.port);
      expect(before.fingerprint256).toBe(printed);

      // A connection opened before the reload…
      open = tlsConnect({ host: '127.0.0.1', port: passman.port, ca: first.cert, servername: 'localhost' });
      await once(open, 'secureConnect');

      writeFileSync(certPath, second.cert);
      writeFileSync(keyPath, second.key, { mode: 0o600 });
      passman.child.kill('SIGHUP');
      await passman.waitFor(/TLS certificate reloaded/);
      const after = await servedCertificate(passman.port);
      expect(after.fingerprint256).not.toBe(before.fingerprint256);
      expect(after.fingerprint256).toBe(new X509Certificate(second.cert).fingerprint256);

      // …still answers after it.
      open.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      let reply = '';
      open.setEncoding('utf8');
      open.on('data', (chunk: string) => {
        reply += chunk;
      });
      await once(open, 'end');
      expect(reply).toMatch(/^HTTP\/1\.1 200 /);

      // A broken replacement is refused; the last good certificate stays in service.
      writeFileSync(certPath, 'not a certificate');
      passman.child.kill('SIGHUP');
      await passman.waitFor(/TLS certificate not reloaded/);
      expect((await servedCertificate(passman.port)).fingerprint256).toBe(after.fingerprint256);
      expect(passman.child.exitCode).toBeNull();
    } finally {
      open?.destroy();
      await passman.stop();
    }
  }, 120_000);

  it('serves plain HTTP with PASSMAN_TLS=off: no HSTS, no Secure cookie, one frame policy, a warning without a proxy', async () => {
    const passman = await startPassman({ PASSMAN_TLS: 'off' });
    try {
      expect(passman.output()).not.toContain('SHA-256 fingerprint');
      expect(passman.output()).toContain('PASSMAN_TLS=off: serving plain HTTP');
      const ready = await httpCall(passman.port, '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.headers['strict-transport-security']).toBeUndefined();
      expect(ready.headers['x-frame-options']).toBe('DENY');
      expect(ready.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      const session = await httpCall(passman.port, '/api/v1/auth/login', { method: 'POST', body: login });
      expect(session.status).toBe(200);
      const cookie = (session.headers['set-cookie'] ?? []).find((c) => c.startsWith('passman_session='));
      expect(cookie).toBeDefined();
      expect(cookie).not.toMatch(/;\s*Secure/i);
    } finally {
      await passman.stop();
    }
  }, 120_000);
});
