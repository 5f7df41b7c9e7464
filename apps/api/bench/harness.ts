import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createSshConnector } from '@passman/connectors';
import { createPrismaClient, readMigrations } from '@passman/db';
import { createMigratedDatabase, dropDatabase, startTestDatabaseServer } from '@passman/testkit';
import { createMasterKeyRing, createVault } from '@passman/vault';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { SESSION_COOKIE } from '../src/http/session-cookie.js';
import { createLogger } from '../src/lib/logger.js';
import { createMetrics } from '../src/lib/metrics.js';
import { openAuditKeys } from '../src/modules/audit/audit-key.js';
import { startJobEventHub } from '../src/modules/jobs/job-events.js';
import { createJobQueue } from '../src/modules/jobs/job-queue.js';
import { ensureFirstAdmin } from '../src/modules/users/first-admin.js';
import { createSettingsRepo } from '../src/modules/vault/settings.repo.js';
import { createServices } from '../src/services.js';
import { cpuMeter, type CpuPerRequest, type CpuSnapshot } from './cpu.js';
import { drive, type LoadResult } from './load.js';
import type { LoadJob } from './load-worker.js';

/**
 * What the API benchmarks share: a database of their own (dropped at the end), the real app as
 * main.ts composes it, logins, and scenarios driven by 20 keep-alive clients on a worker thread
 * or straight through `pg`, each with the CPU it cost the server and PostgreSQL.
 */

export const CONCURRENCY = 20;
export const POOL_MAX = 10; // PASSMAN_DB_POOL_MAX's default

export const log = (message: string) => process.stdout.write(`${message}\n`);
export const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

/** How busy the machine is: load averages, and Linux's CPU pressure (% of time something waited for a CPU). */
export const machineLoad = () => {
  let pressure = '';
  try {
    pressure = `, CPU pressure ${/avg10=([\d.]+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1] ?? '?'} % (10 s)`;
  } catch {
    // not Linux, or no PSI
  }
  return `${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}${pressure}`;
};

export interface Bench {
  databaseUrl: string;
  /** The database's name (its backends are found by it). */
  database: string;
  startedAt: number;
  /** Runs at the end, the last registered first, before the database is dropped. */
  defer(cleanup: () => Promise<unknown>): void;
}

/**
 * Runs `body` against a freshly migrated database of its own — on DATABASE_URL's server when set,
 * else an embedded PostgreSQL — and drops it afterwards, whatever happened. A watchdog ends the
 * process past `budgetMs`, so a benchmark is bounded even when something hangs.
 */
export async function runBench(name: string, budgetMs: number, body: (bench: Bench) => Promise<void>): Promise<void> {
  const watchdog = setTimeout(() => {
    process.stderr.write(`${name}: over its budget of ${budgetMs / 1000} s, giving up\n`);
    process.exit(1);
  }, budgetMs);
  watchdog.unref();
  const startedAt = performance.now();
  log(`${cpus().length} CPUs, load average ${machineLoad()} (other work on the machine skews latency; the CPU columns hold up better)`);
  const server = await startTestDatabaseServer();
  const databaseUrl = await createMigratedDatabase(server.adminUrl, 'passman_bench');
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  log(`database ready on ${process.env.DATABASE_URL ? "DATABASE_URL's server" : 'an embedded PostgreSQL'} in ${since(startedAt)}`);
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    await body({ databaseUrl, database, startedAt, defer: (cleanup) => cleanups.push(cleanup) });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await dropDatabase(server.adminUrl, databaseUrl);
    await server.stop();
  }
}

export interface Session {
  /** The Cookie header of the session. */
  cookie: string;
  /** The session cookie's token (for `services.auth.authenticateSession`). */
  token: string;
}

/**
 * The real app, as main.ts builds it (job queue and event hub included; no worker), listening on
 * 127.0.0.1, with the first administrator created.
 */
export async function startApi(bench: Bench) {
  const db = createPrismaClient(bench.databaseUrl, { max: POOL_MAX });
  bench.defer(() => db.$disconnect());
  const queue = createJobQueue({ databaseUrl: bench.databaseUrl });
  const events = await startJobEventHub(bench.databaseUrl);
  bench.defer(() => events.stop());
  const vault = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, randomBytes(32)]]), activeVersion: 1 }) });
  const services = createServices({
    db,
    session: { idleMs: 30 * 60_000, maxAgeMs: 12 * 3_600_000 },
    cookieSecure: false,
    tokensCanCreateTokens: true,
    migrationNames: (await readMigrations()).map((m) => m.name),
    vault,
    auditKeys: await openAuditKeys({ vault, settings: createSettingsRepo(db) }),
    connector: createSshConnector(),
    queue,
    events,
  });
  await services.audit.initialize();
  const adminPassword = `bench-${Math.random().toString(36).slice(2)}-password`;
  await ensureFirstAdmin({ repo: services.usersRepo, hasher: services.hasher, audit: services.audit, username: 'admin', password: adminPassword });
  const app = createApp({
    logger: createLogger({ level: 'warn' }), // no per-request log lines: the bench measures the API, not a terminal
    metrics: createMetrics(),
    auth: services.auth,
    health: services.health,
    bindings: services.bindings,
    version: 'bench',
    trustProxy: false,
  });
  const listener = app.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  bench.defer(async () => {
    listener.closeAllConnections();
    listener.close();
  });
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

  async function login(username: string, password: string): Promise<Session> {
    const res = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login of ${username} answered ${res.status}`);
    const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const token = pairs.find((p) => p.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1);
    if (!token) throw new Error('login set no session cookie');
    return { cookie: pairs.join('; '), token: decodeURIComponent(token) };
  }

  async function getJson<T>(session: Session, path: string): Promise<T> {
    const res = await fetch(`${origin}${path}`, { headers: { cookie: session.cookie } });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    return (await res.json()) as T;
  }

  return { db, services, origin, adminPassword, login, getJson };
}

/**
 * Scenarios measured the same way: a 2 s warm-up, then a fixed time of closed-loop requests from
 * CONCURRENCY clients, with the CPU each request cost the main thread (the API server, or the pg
 * client for the SQL baselines) and the PostgreSQL backends of the bench's database.
 */
export function scenarioRunner(bench: Bench, origin: string, timing: { warmupMs: number; durationMs: number }) {
  // The SQL baselines' pool: the API's size, so both meet PostgreSQL with the same concurrency.
  const pool = new pg.Pool({ connectionString: bench.databaseUrl, max: POOL_MAX, idleTimeoutMillis: 0 });
  // The database is dropped WITH (FORCE) at the end: a connection cut then is not an error.
  pool.on('error', () => undefined);
  bench.defer(() => pool.end());
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: { origin, maxSockets: CONCURRENCY } });
  bench.defer(async () => {
    worker.postMessage('close');
    await worker.terminate();
  });
  const cpu = cpuMeter(bench.database);
  const profiler = process.env.BENCH_CPU_PROF ? mainThreadProfiler(process.env.BENCH_CPU_PROF) : null;
  const results: LoadResult[] = [];
  const costs = new Map<string, CpuPerRequest>();
  const run = { concurrency: CONCURRENCY, ...timing };
  const report = (r: LoadResult, c: CpuPerRequest) => {
    results.push(r);
    costs.set(r.name, c);
    log(`  ${r.name}: p95 ${r.p95.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s${r.errors ? `, ${r.errors} ERRORS` : ''}`);
    return r;
  };

  return {
    pool,
    cpu,
    results,
    costs,
    /** A scenario over HTTP, its clients on the worker thread (so they do not queue on the server's event loop). */
    http: (name: string, paths: string[], headers: Record<string, string> = {}) =>
      new Promise<LoadResult>((resolve, reject) => {
        let start: CpuSnapshot | undefined;
        const onMessage = (message: { type: 'measuring' } | { type: 'result'; result: LoadResult }) => {
          if (message.type === 'measuring') {
            start = cpu.start();
            profiler?.start(name).catch((error: unknown) => log(`  profiling ${name} failed to start: ${String(error)}`));
          } else {
            worker.off('message', onMessage);
            profiler?.stop(name).catch((error: unknown) => log(`  profiling ${name} failed to stop: ${String(error)}`));
            try {
              resolve(report(message.result, cpu.perRequest(start!, message.result.requests)));
            } catch (error) {
              reject(error as Error);
            }
          }
        };
        worker.on('message', onMessage);
        worker.postMessage({ name, paths, headers, ...run } satisfies LoadJob);
      }),
    /** A scenario in this thread (the SQL baselines through `pool`). */
    local: async (name: string, op: () => Promise<void>) => {
      let start: CpuSnapshot | undefined;
      const r = await drive(name, op, { ...run, onMeasureStart: () => void (start = cpu.start()) });
      return report(r, cpu.perRequest(start!, r.requests));
    },
  };
}

/** Runs one page's SQL (a query of `accountListSql`) through `pool`, checking that it answered `rows` rows. */
export const pageSql = (pool: pg.Pool, sql: { text: string; values: unknown[] }, rows: number) => async () => {
  const { rows: result } = await pool.query<{ rows: string }>(sql.text, sql.values);
  const page = JSON.parse(result[0]!.rows) as unknown[];
  if (page.length !== rows) throw new Error(`pg answered ${page.length} rows`);
};

/**
 * BENCH_CPU_PROF=<directory> (as bench:jobs names it): a CPU profile of the main thread (the API)
 * for each HTTP scenario's measured part, written as <directory>/<scenario>.cpuprofile (Chrome
 * DevTools opens it). The profiler costs CPU: that run's figures are not for comparing.
 */
function mainThreadProfiler(directory: string) {
  const session = new inspector.Session();
  session.connect();
  mkdirSync(directory, { recursive: true });
  return {
    start: async (_name: string) => {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    stop: async (name: string) => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(directory, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
