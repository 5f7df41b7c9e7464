/**
 * `npm run bench:jobs` — bulk Check and bulk Reset through the REST API (issue 5, point 8).
 *
 * Starts N real sshd targets (testkit, own namespaces on 127.0.10.x) with M PassMan accounts
 * and M baseline accounts each, makes its own database (on DATABASE_URL's server when set,
 * else an embedded PostgreSQL), and runs PassMan exactly as `npm start` does (apps/api/dist/main.js
 * with the start script's node flags: createServices + createApp + the in-process worker) as a CHILD process, so its peak RSS
 * (/proc/<pid>/status VmHWM, and VmRSS sampled) excludes this driver. Through the REST API it
 * registers the targets (host keys scanned and approved) and accounts, then times:
 *   bulk CHECK of all N×M accounts, and bulk RESET (change on target, Generate and Save),
 * each from the POST /jobs/bulk to the batch being done. The baseline, in the same run and at
 * the same concurrency as PassMan's worker: a raw-ssh2 script (packages/connectors/bench/raw-ssh2.ts:
 * own socket with noDelay, pinned host key, password auth) doing the same protocol steps on the
 * baseline accounts — check: connect + auth + logout per credential; reset: login, `passwd`
 * fed on stdin, then a fresh login with the new password.
 *
 * Env: BENCH_TARGETS (50), BENCH_ACCOUNTS (20 per target), BENCH_CONCURRENCY (32, PassMan's
 * PASSMAN_WORKER_CONCURRENCY default), BENCH_PHASES (check,reset), BENCH_SOURCE=1 (run
 * apps/api/src/main.ts through tsx instead of the build), BENCH_CPU_PROF=<dir> (PassMan writes a
 * .cpuprofile there), BENCH_NODE_OPTIONS (PassMan's NODE_OPTIONS). Also prints CPU per job by
 * process (PassMan, PostgreSQL backends, driver, rest of the machine) and database transactions
 * per job. Bounded (< 6 min at full size); cleans up after itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createMigratedDatabase, dropDatabase, freePort, startSshTargets, startTestDatabaseServer, type SshTarget, type SshTargetGroup } from '@passman/testkit';
import { rawChangePassword, rawVerify, type RawLogin } from '../../../packages/connectors/bench/raw-ssh2.js';
import { percentile, runPool } from '../../../packages/connectors/bench/stats.js';

const N = Number(process.env.BENCH_TARGETS ?? 50);
const M = Number(process.env.BENCH_ACCOUNTS ?? 20);
const C = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Which comparisons to run (e.g. `check` alone while profiling). */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'check,reset').split(','));
const BUDGET_MS = 345_000;
const GOALS = { check: 0.9, reset: 0.8, rssMb: 300 };
/** As `npm start`: the build (the npm script builds first). BENCH_SOURCE=1 runs the sources through tsx instead (≈50 MB more RSS). */
const BUILT = process.env.BENCH_SOURCE !== '1';
const MAIN = fileURLToPath(new URL(BUILT ? '../dist/main.js' : '../src/main.ts', import.meta.url));

const log = (message: string) => process.stdout.write(`${message}\n`);
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const newPassword = () => `Bench-${randomBytes(9).toString('base64url')}`;

interface Account {
  target: SshTarget;
  user: string;
  password: string;
  /** PassMan's account id (PassMan accounts only). */
  id?: string;
}

// ---------------------------------------------------------------------------------------------
// PassMan, as a child process, and its peak memory.

function kb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

const TICK_MS = 10; // USER_HZ = 100

/** utime + stime of a process (all its threads), in ms. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU time the whole machine spent not idle (all cores), in ms. */
function machineBusyMs(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

interface CpuSnapshot {
  /** Transactions committed in the bench database (each statement outside a transaction is one). */
  commits: number;
  passman: number;
  postgres: Map<number, number>;
  driver: number;
  machine: number;
}

/** Where the CPU goes: PassMan's process, the PostgreSQL backends of the bench database, this driver, the rest (sshd, other work). */
function cpuMeter(pool: pg.Pool, database: string, passmanPid: number) {
  const backends = async () => {
    const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return new Map(rows.map(({ pid }) => [pid, processCpuMs(pid)]));
  };
  const driver = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  return {
    async snapshot(): Promise<CpuSnapshot> {
      // The statistics collector publishes a backend's counters when it goes idle (≤ 1 s later).
      await pool.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
      const { rows } = await pool.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [database]);
      return { commits: Number(rows[0]?.n ?? 0), passman: processCpuMs(passmanPid), postgres: await backends(), driver: driver(), machine: machineBusyMs() };
    },
    async since(start: CpuSnapshot): Promise<CpuUse> {
      await new Promise((r) => setTimeout(r, 1_200)); // let every backend publish its counters
      const end = await this.snapshot();
      let postgres = 0;
      for (const [pid, ms] of end.postgres) postgres += ms - (start.postgres.get(pid) ?? 0);
      const passman = end.passman - start.passman;
      const driverMs = end.driver - start.driver;
      const machine = end.machine - start.machine;
      return { passman, postgres, driver: driverMs, rest: machine - passman - postgres - driverMs, commits: end.commits - start.commits };
    },
  };
}
interface CpuUse {
  commits: number;
  passman: number;
  postgres: number;
  driver: number;
  rest: number;
}
type CpuMeter = ReturnType<typeof cpuMeter>;

/** The node flags `npm start` gives PassMan (package.json), so the benchmark runs it with the same heap limits. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { scripts: { start: string } };
  const flags = /\bnode ((?:--\S+ )*)apps\/api\/dist\/main\.js/.exec(pkg.scripts.start)?.[1];
  if (flags === undefined) throw new Error('package.json: the start script no longer runs `node [flags] apps/api/dist/main.js`');
  return flags.trim().split(' ').filter((f) => f !== '' && (BUILT || f !== '--enable-source-maps'));
}

function startPassMan(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, ...startFlags(), ...(BUILT ? [] : ['--conditions=development', '--import', 'tsx']), MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}), ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited };
}

// ---------------------------------------------------------------------------------------------
// A small REST client with the session cookie and CSRF token.

function restClient(origin: string) {
  let cookie = '';
  let csrf = '';
  const call = async <T>(method: string, path: string, body?: unknown, expect = [200, 201, 202]): Promise<T> => {
    const res = await fetch(`${origin}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    if (path === '/auth/login') cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    async login(username: string, password: string) {
      csrf = (await call<{ csrfToken: string }>('POST', '/auth/login', { username, password })).csrfToken;
    },
    get: <T>(path: string) => call<T>('GET', path),
    post: <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {}),
  };
}
type Rest = ReturnType<typeof restClient>;

interface JobView {
  state: string;
  errorCode: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
interface BatchView {
  id: string;
  total: number;
  done: boolean;
  counts: Record<string, number>;
}

async function allJobs(rest: Rest, batchId: string): Promise<JobView[]> {
  const jobs: JobView[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: JobView[]; nextCursor: string | null } = await rest.get(`/jobs?batchId=${batchId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    jobs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return jobs;
}

interface Phase {
  name: string;
  client: 'passman' | 'raw-ssh2';
  ops: number;
  failures: number;
  wallMs: number;
  p95Ms: number;
  /** PassMan: time spent running one job (startedAt → finishedAt), comparable with the raw per-operation latency. */
  runP95Ms?: number;
  note?: string;
  peakRssMb?: number;
  cpu?: CpuUse;
}

/** POST /jobs/bulk, then waits for the batch to be done; per-job latencies from the job rows. */
async function passmanBulk(rest: Rest, meter: CpuMeter, pid: number, name: string, body: object, total: number): Promise<Phase> {
  const cpuStart = await meter.snapshot();
  let peakKb = 0;
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, kb(pid, 'VmRSS'))), 100);
  const started = performance.now();
  const startedAt = Date.now();
  try {
    const batch = await rest.post<BatchView>('/jobs/bulk', body);
    const accepted = performance.now() - started;
    let view = batch;
    while (!view.done) {
      if (performance.now() - t0 > BUDGET_MS) throw new Error(`${name}: over the time budget with ${JSON.stringify(view.counts)}`);
      // Polled like an integrator would; the end time comes from the job rows, so this only finds out.
      await new Promise((r) => setTimeout(r, 500));
      view = await rest.get<BatchView>(`/batches/${batch.id}`);
    }
    const cpu = await meter.since(cpuStart);
    const jobs = await allJobs(rest, batch.id);
    if (jobs.length !== total) throw new Error(`${name}: ${jobs.length} jobs listed, expected ${total}`);
    // The batch was done when its last job finished (same machine, same clock); polling only finds out later.
    const wallMs = Math.max(...jobs.map((j) => Date.parse(j.finishedAt ?? ''))) - startedAt;
    if (!Number.isFinite(wallMs)) throw new Error(`${name}: a job of a done batch has no finishedAt`);
    const ms = (a: string | null, b: string | null) => (a && b ? Date.parse(b) - Date.parse(a) : Number.NaN);
    const failed = jobs.filter((j) => j.state !== 'succeeded');
    if (failed.length > 0) log(`  ${name}: ${failed.length} jobs not succeeded, e.g. ${JSON.stringify(failed[0])}`);
    return {
      name,
      client: 'passman',
      ops: total,
      failures: failed.length,
      wallMs,
      p95Ms: percentile(jobs.map((j) => ms(j.createdAt, j.finishedAt)).filter(Number.isFinite), 95),
      runP95Ms: percentile(jobs.map((j) => ms(j.startedAt, j.finishedAt)).filter(Number.isFinite), 95),
      note: `POST /jobs/bulk answered in ${(accepted / 1000).toFixed(1)} s`,
      peakRssMb: Math.max(peakKb, kb(pid, 'VmRSS')) / 1024,
      cpu,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function rawPhase(meter: CpuMeter, name: string, items: Account[], work: (a: Account) => Promise<void>): Promise<Phase> {
  const cpuStart = await meter.snapshot();
  const started = performance.now();
  const { latenciesMs, failures, errors } = await runPool(items, C, work);
  const wallMs = performance.now() - started;
  const cpu = await meter.since(cpuStart);
  if (errors.length > 0) log(`  ${name} raw-ssh2: ${errors.length} failures, first: ${String(errors[0])}`);
  return { name, client: 'raw-ssh2', ops: items.length, failures, wallMs, p95Ms: percentile(latenciesMs, 95), cpu };
}

// ---------------------------------------------------------------------------------------------

const cleanups: (() => Promise<unknown>)[] = [];
const cleanUp = async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err: unknown) => log(`cleanup: ${String(err)}`));
};
const watchdog = setTimeout(() => {
  process.stderr.write('bench:jobs: over its time budget, giving up\n');
  void cleanUp().finally(() => process.exit(1));
}, BUDGET_MS + 15_000);
watchdog.unref();

async function main(): Promise<void> {
  log(`bench:jobs — ${N} targets × ${M} accounts = ${N * M} accounts, concurrency ${C} (PassMan worker and raw-ssh2 alike)`);
  log(`node ${process.version}, ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // Targets: M PassMan accounts and M baseline accounts on each (same hash, same sshd).
  const passmanAccounts: Account[] = [];
  const rawAccounts: Account[] = [];
  const spec: { pm: { user: string; password: string }[]; raw: { user: string; password: string }[] }[] = Array.from({ length: N }, () => ({
    pm: Array.from({ length: M }, (_, a) => ({ user: `pm${a}`, password: newPassword() })),
    raw: Array.from({ length: M }, (_, a) => ({ user: `raw${a}`, password: newPassword() })),
  }));
  const group: SshTargetGroup = await startSshTargets({
    count: N,
    perTarget: (t) => ({ users: [...spec[t]!.pm, ...spec[t]!.raw].map((u) => ({ name: u.user, password: u.password })) }),
  });
  cleanups.push(() => group.stop());
  // Round-robin over targets, as an operator's selection of "all accounts" spreads.
  for (let a = 0; a < M; a++) {
    group.targets.forEach((target, t) => {
      passmanAccounts.push({ target, ...spec[t]!.pm[a]! });
      rawAccounts.push({ target, ...spec[t]!.raw[a]! });
    });
  }
  log(`${N} sshd targets with ${2 * M} users each started in ${elapsed()}`);

  const server = await startTestDatabaseServer();
  cleanups.push(() => server.stop());
  const databaseUrl = await createMigratedDatabase(server.adminUrl, 'passman_bench_jobs');
  cleanups.push(() => dropDatabase(server.adminUrl, databaseUrl));

  const port = await freePort();
  const adminPassword = `bench-${randomBytes(12).toString('base64url')}`;
  const passman = startPassMan({
    DATABASE_URL: databaseUrl,
    PASSMAN_MASTER_KEY: randomBytes(32).toString('base64'),
    PASSMAN_ADMIN_PASSWORD: adminPassword,
    PASSMAN_HOST: '127.0.0.1',
    PASSMAN_PORT: String(port),
    PASSMAN_LOG_LEVEL: 'warn',
    PASSMAN_WORKER_CONCURRENCY: String(C),
    PASSMAN_WEB_DIST: '/nonexistent',
    // Plain HTTP: the benchmark measures jobs, not TLS (and makes no certificate).
    PASSMAN_TLS: 'off',
  });
  const pid = passman.child.pid!;
  cleanups.push(async () => {
    if (passman.child.exitCode === null) passman.child.kill('SIGTERM');
    const timer = setTimeout(() => passman.child.kill('SIGKILL'), 10_000);
    await passman.exited;
    clearTimeout(timer);
  });
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (passman.child.exitCode !== null) throw new Error(`PassMan exited with ${passman.child.exitCode}`);
    const up = await fetch(`${origin}/healthz`).then((r) => r.ok).catch(() => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`PassMan (pid ${pid}, ${BUILT ? 'apps/api/dist/main.js, as npm start runs it' : "main.ts through tsx"}) listening on ${origin} at ${elapsed()}; RSS ${(kb(pid, 'VmRSS') / 1024).toFixed(0)} MB`);

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => undefined); // the database is dropped WITH (FORCE) at the end
  cleanups.push(() => pool.end());
  const meter = cpuMeter(pool, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)), pid);
  const rest = restClient(origin);
  await rest.login('admin', adminPassword);
  const targetIds = new Map<SshTarget, string>();
  await runPool(group.targets, 8, async (target) => {
    const created = await rest.post<{ id: string }>('/targets', { name: `bench-${target.host}`, address: target.host, port: target.port });
    const scanned = await rest.post<{ fingerprint: string }>(`/targets/${created.id}/host-key/scan`);
    if (!target.fingerprints.includes(scanned.fingerprint)) throw new Error(`unexpected host key from ${target.host}`);
    await rest.post(`/targets/${created.id}/host-key/approve`, { fingerprint: scanned.fingerprint });
    targetIds.set(target, created.id);
  });
  const registration = await runPool(passmanAccounts, 16, async (a) => {
    a.id = (await rest.post<{ id: string }>('/accounts', { targetId: targetIds.get(a.target), username: a.user })).id;
    await rest.post(`/accounts/${a.id}/credentials`, { type: 'PASSWORD', value: a.password });
  });
  if (registration.failures > 0) throw new Error(`registering accounts: ${String(registration.errors[0])}`);
  log(`${targetIds.size} targets and ${passmanAccounts.length} accounts registered through the API at ${elapsed()}`);

  const raw = (a: Account): RawLogin => ({ host: a.target.host, port: a.target.port, pin: a.target.fingerprints[0]!, username: a.user, password: a.password });
  const ids = passmanAccounts.map((a) => a.id!);
  const phases: Phase[] = [];
  const show = (p: Phase) => {
    phases.push(p);
    log(`  ${p.name} ${p.client}: ${p.ops} in ${(p.wallMs / 1000).toFixed(1)} s = ${((p.ops / p.wallMs) * 1000).toFixed(1)}/s, p95 ${p.p95Ms.toFixed(0)} ms${p.failures ? `, ${p.failures} FAILED` : ''}${p.note ? ` (${p.note})` : ''}`);
  };

  // Check: every account's password still is what it was (the targets' SHA-512 hashes).
  if (PHASES.has('check')) {
    show(await rawPhase(meter, 'check', rawAccounts, (a) => rawVerify(raw(a))));
    show(await passmanBulk(rest, meter, pid, 'check', { kind: 'CHECK', accountIds: ids }, ids.length));
  }
  // Reset: login with the old password, passwd on stdin, a fresh login with the new one.
  if (PHASES.has('reset')) {
    show(
      await rawPhase(meter, 'reset', rawAccounts, async (a) => {
        const next = newPassword();
        await rawChangePassword(raw(a), next);
        a.password = next;
        await rawVerify(raw(a));
      }),
    );
    show(await passmanBulk(rest, meter, pid, 'reset', { kind: 'RESET', accountIds: ids, reset: { credentialType: 'PASSWORD', changeOnTarget: true } }, ids.length));
  }

  const hwmMb = kb(pid, 'VmHWM') / 1024;
  report(phases, hwmMb);
  if (phases.some((p) => p.failures > 0)) process.exitCode = 1;
}

function report(phases: Phase[], hwmMb: number): void {
  const rate = (p: Phase) => (p.ops / p.wallMs) * 1000;
  log('');
  log('| operation | client | jobs | failures | jobs/s | p95 per job ms (createdAt→finishedAt) | p95 run ms (startedAt→finishedAt / per op) |');
  log('|---|---|---:|---:|---:|---:|---:|');
  for (const p of phases) {
    const perJob = p.client === 'passman' ? p.p95Ms.toFixed(0) : '—';
    const run = p.client === 'passman' ? (p.runP95Ms ?? Number.NaN).toFixed(0) : p.p95Ms.toFixed(0);
    log(`| ${p.name} | ${p.client} | ${p.ops} | ${p.failures} | ${rate(p).toFixed(1)} | ${perJob} | ${run} |`);
  }
  log('');
  log('| operation | PassMan / raw-ssh2 throughput | goal | met |');
  log('|---|---:|---:|---|');
  for (const name of ['check', 'reset'] as const) {
    const pm = phases.find((p) => p.name === name && p.client === 'passman');
    const rw = phases.find((p) => p.name === name && p.client === 'raw-ssh2');
    if (!pm || !rw) continue;
    const ratio = rate(pm) / rate(rw);
    log(`| ${name} | ${ratio.toFixed(2)}× | ≥ ${GOALS[name]}× | ${ratio >= GOALS[name] ? 'yes' : 'NO'} |`);
  }
  log('');
  log('CPU per job (ms; 2 cores = 2,000 ms of CPU per second). "rest" is everything else on the machine: the sshd targets, and any other work sharing it.');
  log('');
  log('| operation | client | PassMan process | PostgreSQL backends | bench driver (raw-ssh2 client) | rest of the machine | database transactions per job |');
  log('|---|---|---:|---:|---:|---:|---:|');
  for (const p of phases) {
    const c = p.cpu;
    if (!c) continue;
    const per = (ms: number) => (ms / p.ops).toFixed(1);
    log(`| ${p.name} | ${p.client} | ${p.client === 'passman' ? per(c.passman) : '—'} | ${per(c.postgres)} | ${per(c.driver)} | ${per(c.rest)} | ${p.client === 'passman' ? per(c.commits) : '—'} |`);
  }
  const sampled = Math.max(...phases.map((p) => p.peakRssMb ?? 0));
  log('');
  log(`PassMan peak RSS: VmHWM ${hwmMb.toFixed(0)} MB (highest sampled VmRSS during the batches ${sampled.toFixed(0)} MB); goal ≤ ${GOALS.rssMb} MB: ${hwmMb <= GOALS.rssMb ? 'met' : 'NOT met'}`);
  log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end; total ${elapsed()}`);
}

try {
  await main();
} catch (err) {
  process.exitCode = 1;
  process.stderr.write(`bench:jobs failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
} finally {
  await cleanUp();
  clearTimeout(watchdog);
}
