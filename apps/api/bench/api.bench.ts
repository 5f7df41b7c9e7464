/**
 * `npm run bench:api` — the list endpoints at scale: keyset pages of 100k accounts under concurrent clients.
 *
 * Makes its own database (on DATABASE_URL's server when set, else an embedded PostgreSQL),
 * seeds 100k accounts over 5k targets, starts the real app (createServices + createApp) on
 * 127.0.0.1, logs in, and drives GET /api/v1/accounts from 20 concurrent keep-alive clients
 * (on a worker thread, so they do not queue on the server's event loop):
 *   (a) the first page with a filter and a sort,
 *   (b) a deep page (nextCursor followed 50 pages in, then that cursor hammered),
 * against baselines measured in the same run: (c) the same SQL straight through `pg` at the
 * same concurrency, and GET /healthz over HTTP. Prints p50/p95/p99, req/s, the ratios, and
 * the CPU each request cost (server event loop, PostgreSQL backends), which unlike latency
 * holds up when other work shares the machine. Bounded (< 3 min); drops its database.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createSshConnector } from '@passman/connectors';
import { VAULT_ACTIONS, type AccountListQuery, type AccountPage } from '@passman/contracts';
import { createPrismaClient, readMigrations } from '@passman/db';
import { createMigratedDatabase, dropDatabase, startTestDatabaseServer } from '@passman/testkit';
import { createMasterKeyRing, createVault } from '@passman/vault';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { decodeKeyset } from '../src/lib/keyset.js';
import { createLogger } from '../src/lib/logger.js';
import { createMetrics } from '../src/lib/metrics.js';
import { accountListSql, accountSortSpec } from '../src/modules/accounts/accounts.repo.js';
import { startJobEventHub } from '../src/modules/jobs/job-events.js';
import { createJobQueue } from '../src/modules/jobs/job-queue.js';
import { ensureFirstAdmin } from '../src/modules/users/first-admin.js';
import { openAuditKeys } from '../src/modules/audit/audit-key.js';
import { createSettingsRepo } from '../src/modules/vault/settings.repo.js';
import { createServices } from '../src/services.js';
import { cpuMeter, type CpuPerRequest } from './cpu.js';
import { drive, table, type LoadResult } from './load.js';
import type { LoadJob } from './load-worker.js';
import { seedEstate } from './seed.js';

const TARGETS = Number(process.env.BENCH_TARGETS ?? 5_000);
const ACCOUNTS_PER_TARGET = Number(process.env.BENCH_ACCOUNTS_PER_TARGET ?? 20);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const CONCURRENCY = 20;
const DEEP_PAGES = 50;
const POOL_MAX = 10; // PASSMAN_DB_POOL_MAX's default
const GOAL_P95_MS = 50;

/** What an operator looks at: accounts not in sync on production hosts, most recently checked first. */
const QUERY: AccountListQuery = { status: 'NotInSync', q: 'prod', sort: '-lastCheckedAt', limit: 50, recursive: true };
const listPath = (cursor?: string) =>
  `/api/v1/accounts?status=${QUERY.status}&q=${QUERY.q}&sort=${encodeURIComponent(QUERY.sort)}&limit=${QUERY.limit}${cursor ? `&cursor=${cursor}` : ''}`;

/** The bare SQL as an administrator's request runs it: no rights to apply. */
const ADMIN_SCOPE = { kind: 'all', rights: VAULT_ACTIONS } as const;

const log = (message: string) => process.stdout.write(`${message}\n`);
const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;
/** How busy the machine is: load averages, and Linux's CPU pressure (% of time something waited for a CPU). */
const load = () => {
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

const watchdog = setTimeout(() => {
  process.stderr.write('bench:api: over its 3-minute budget, giving up\n');
  process.exit(1);
}, 175_000);
watchdog.unref();

const t0 = performance.now();
log(`${cpus().length} CPUs, load average ${load()} (other work on the machine skews latency; the CPU columns hold up better)`);
const server = await startTestDatabaseServer();
const databaseUrl = await createMigratedDatabase(server.adminUrl, 'passman_bench');
const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
log(`database ready on ${process.env.DATABASE_URL ? "DATABASE_URL's server" : 'an embedded PostgreSQL'} in ${since(t0)}`);

const cleanups: (() => Promise<unknown>)[] = [];
try {
  const tSeed = performance.now();
  const seeded = await seedEstate(databaseUrl, { targets: TARGETS, accountsPerTarget: ACCOUNTS_PER_TARGET });
  log(`seeded ${seeded.accounts} accounts over ${seeded.targets} targets in ${since(tSeed)}`);

  // The real app, as main.ts builds it (job queue and event hub included; no worker).
  const db = createPrismaClient(databaseUrl, { max: POOL_MAX });
  cleanups.push(() => db.$disconnect());
  const queue = createJobQueue({ databaseUrl });
  const events = await startJobEventHub(databaseUrl);
  cleanups.push(() => events.stop());
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
  const password = `bench-${Math.random().toString(36).slice(2)}-password`;
  await ensureFirstAdmin({ repo: services.usersRepo, hasher: services.hasher, audit: services.audit, username: 'admin', password });
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
  cleanups.push(async () => {
    listener.closeAllConnections();
    listener.close();
  });
  const origin = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;

  const login = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${origin}${path}`, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    return (await res.json()) as T;
  };

  // Follow the cursor DEEP_PAGES pages into the list, checking the pages on the way.
  const first = await getJson<AccountPage>(listPath());
  if (first.items.length !== QUERY.limit || !first.items.every((a) => a.status === 'NotInSync')) throw new Error('unexpected first page');
  let cursor = first.nextCursor;
  for (let page = 1; page < DEEP_PAGES && cursor; page += 1) cursor = (await getJson<AccountPage>(listPath(cursor))).nextCursor;
  if (!cursor) throw new Error(`the list has fewer than ${DEEP_PAGES} pages`);
  const deepCursor = cursor;
  const deep = await getJson<AccountPage>(listPath(deepCursor));
  log(`page ${DEEP_PAGES + 1} of the list: ${deep.items.length} items, last checked ${deep.items[0]?.lastCheckedAt ?? 'never'} … `);

  // Baseline: exactly the SQL the repo runs, straight through pg, same pool size and concurrency.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_MAX, idleTimeoutMillis: 0 });
  const admin = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 0 });
  // The database is dropped WITH (FORCE) at the end: a connection cut then is not an error.
  for (const p of [pool, admin]) p.on('error', () => undefined);
  cleanups.push(
    () => pool.end(),
    () => admin.end(),
  );
  const filter = { status: QUERY.status, q: QUERY.q };
  const firstSql = accountListSql(ADMIN_SCOPE, filter, QUERY.sort, undefined, QUERY.limit + 1);
  const deepKey = decodeKeyset('accounts', QUERY.sort, deepCursor, accountSortSpec(QUERY.sort).parts);
  const deepSql = accountListSql(ADMIN_SCOPE, filter, QUERY.sort, deepKey, QUERY.limit + 1);
  const runSql = async (sql: { text: string; values: unknown[] }) => {
    const { rows } = await pool.query<{ rows: string }>(sql.text, sql.values);
    const page = JSON.parse(rows[0]!.rows) as unknown[];
    if (page.length !== QUERY.limit + 1) throw new Error(`pg answered ${page.length} rows`);
  };

  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: { origin, headers: { cookie }, maxSockets: CONCURRENCY } });
  cleanups.push(async () => {
    worker.postMessage('close');
    await worker.terminate();
  });
  const cpu = cpuMeter(admin, database);
  const results: LoadResult[] = [];
  const costs = new Map<string, CpuPerRequest>();
  const run = { concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS };
  const report = (r: LoadResult, c: CpuPerRequest) => {
    results.push(r);
    costs.set(r.name, c);
    log(`  ${r.name}: p95 ${r.p95.toFixed(1)} ms, ${r.rps.toFixed(0)} req/s${r.errors ? `, ${r.errors} ERRORS` : ''}`);
    return r;
  };
  /** A scenario over HTTP, its clients on the worker. */
  const http = (name: string, paths: string[]) =>
    new Promise<LoadResult>((resolve, reject) => {
      let start: Promise<Awaited<ReturnType<typeof cpu.start>>> | undefined;
      const onMessage = (message: { type: 'measuring' } | { type: 'result'; result: LoadResult }) => {
        if (message.type === 'measuring') start = cpu.start();
        else {
          worker.off('message', onMessage);
          void start!.then((s) => cpu.perRequest(s, message.result.requests)).then((c) => resolve(report(message.result, c)), reject);
        }
      };
      worker.on('message', onMessage);
      worker.postMessage({ name, paths, ...run } satisfies LoadJob);
    });
  /** A scenario in this thread (the pg baseline). */
  const local = async (name: string, op: () => Promise<void>) => {
    let start: Awaited<ReturnType<typeof cpu.start>> | undefined;
    const r = await drive(name, op, { ...run, onMeasureStart: async () => void (start = await cpu.start()) });
    return report(r, await cpu.perRequest(start!, r.requests));
  };

  log(`${CONCURRENCY} concurrent clients, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s measured per scenario`);
  const apiFirst = await http('(a) API, first page', [listPath()]);
  const apiDeep = await http(`(b) API, deep page (${DEEP_PAGES + 1})`, [listPath(deepCursor)]);
  const sqlFirst = await local('(c) same SQL via pg, first page', () => runSql(firstSql));
  const sqlDeep = await local('(c) same SQL via pg, deep page', () => runSql(deepSql));
  const healthz = await http('(c) GET /healthz', ['/healthz']);

  log('');
  log(`GET ${listPath().replace('/api/v1', '')}: ${seeded.accounts} accounts over ${seeded.targets} targets, ${CONCURRENCY} clients`);
  log('');
  log(table(results, { sql: { [apiFirst.name]: sqlFirst, [apiDeep.name]: sqlDeep }, healthz }, costs));
  log('');
  log(`load average ${load()} at the end; total ${since(t0)}`);
  const met = apiFirst.p95 <= GOAL_P95_MS && apiDeep.p95 <= GOAL_P95_MS;
  log(`goal p95 ≤ ${GOAL_P95_MS} ms for both pages: ${met ? 'met' : 'NOT met'}`);
  if (results.some((r) => r.errors > 0)) process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await dropDatabase(server.adminUrl, databaseUrl);
  await server.stop();
}
