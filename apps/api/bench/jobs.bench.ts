/**
 * `npm run bench:jobs` — bulk Check and bulk Reset through the REST API.
 *
 * Starts N real sshd targets (testkit, own namespaces on 127.0.10.x) with M PassMan accounts
 * and M baseline accounts each, makes its own database (on DATABASE_URL's server when set,
 * else an embedded PostgreSQL), and runs PassMan exactly as `npm start` does (apps/api/dist/main.js
 * with the start script's node flags: createServices + createApp + the in-process worker) as a
 * CHILD process, so its peak RSS (/proc/<pid>/status VmHWM, and VmRSS sampled) excludes this
 * driver. Through the REST API it registers the targets (host keys scanned and approved) and
 * accounts, then times: bulk CHECK of all N×M accounts, and bulk RESET (change on target,
 * Generate and Save), each from the POST /jobs/bulk to the batch being done. The baseline, in the
 * same run and at the same concurrency as PassMan's workers: a raw-ssh2 script
 * (packages/connectors/bench/raw-ssh2.ts: own socket with noDelay, pinned host key, password auth)
 * doing the same protocol steps on the baseline accounts — check: connect + auth + logout per
 * credential; reset: login, `passwd` fed on stdin, then a fresh login with the new password.
 *
 * BENCH_WORKERS=2: the API runs without a worker (PASSMAN_RUN_WORKER=false) and the jobs are run
 * by `npm run worker` processes: each phase once with one worker process (concurrency C) and once
 * with two (C/2 each, the same total), so the report sets one against two. Each PassMan setup is
 * measured in rounds alternating with raw runs (pairedPhases), and its ratio taken against those.
 *
 * Env: BENCH_TARGETS (50), BENCH_ACCOUNTS (20 per target), BENCH_CONCURRENCY (32, PassMan's
 * PASSMAN_WORKER_CONCURRENCY default), BENCH_WORKERS (1: the in-process worker), BENCH_PHASES
 * (check,reset), BENCH_BUDGET_S (the run's time bound: 1200, or 2400 with worker processes),
 * BENCH_SOURCE=1 (run the sources through tsx instead of the build), BENCH_WARMUP (checks run through
 * each PassMan setup and the raw client before they are measured: 2 × BENCH_CONCURRENCY; 0: none),
 * BENCH_ROUNDS (4: alternating rounds of raw and PassMan per setup, each over 1/ROUNDS of the accounts),
 * BENCH_CPU_PROF=<dir> (PassMan writes .cpuprofile files there), BENCH_NODE_OPTIONS (PassMan's
 * NODE_OPTIONS). Also prints CPU per job by process (PassMan, PostgreSQL backends, driver, rest
 * of the machine) and database transactions per job. Bounded; cleans up after itself.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import {
  createMigratedDatabase,
  dropDatabase,
  freePort,
  startSshTargets,
  startTestDatabaseServer,
  type SshTarget,
  type SshTargetGroup,
} from '@passman/testkit';
import { rawChangePassword, rawVerify, type RawLogin } from '../../../packages/connectors/bench/raw-ssh2.js';
import { runPool } from '../../../packages/connectors/bench/stats.js';
import { BUILT, restClient, startPassMan, type PassManProcess } from './jobs/passman-processes.js';
import { combinePhases, passmanBulk, rawPhase, report, showPhase, warmUpChecks, type Phase } from './jobs/phases.js';
import { cpuMeter, kb } from './jobs/process-meter.js';

const N = Number(process.env.BENCH_TARGETS ?? 50);
const M = Number(process.env.BENCH_ACCOUNTS ?? 20);
const C = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2 * C);
/** Alternating rounds per setup (pairedPhases). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
/** Which comparisons to run (e.g. `check` alone while profiling). */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'check,reset').split(','));
/** Two PassMan setups per phase, each with its raw run, take longer than one. */
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? (WORKERS > 1 ? 2400 : 1200)) * 1000;

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
  if (!Number.isInteger(WORKERS) || WORKERS < 1 || C % WORKERS !== 0)
    throw new Error('BENCH_WORKERS must be a whole number ≥ 1 that divides BENCH_CONCURRENCY');
  log(
    `bench:jobs — ${N} targets × ${M} accounts = ${N * M} accounts, concurrency ${C} (PassMan's workers in all and raw-ssh2 alike), ${WORKERS > 1 ? `1 against ${WORKERS} worker processes` : 'the in-process worker of npm start'}`,
  );
  log(
    `node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  // Targets: M PassMan accounts and M baseline accounts on each (same hash, same sshd).
  const passmanAccounts: Account[] = [];
  const rawAccounts: Account[] = [];
  const spec = Array.from({ length: N }, () => ({
    pm: Array.from({ length: M }, (_, a) => ({ user: `pm${a}`, password: newPassword() })),
    raw: Array.from({ length: M }, (_, a) => ({ user: `raw${a}`, password: newPassword() })),
  }));
  const group: SshTargetGroup = await startSshTargets({
    count: N,
    // N targets hash 2×M passwords each while they boot, all at once: on 2 cores that can take
    // longer than the 15 s a test's lone target gets.
    startTimeoutMs: 120_000,
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
  const masterKey = randomBytes(32).toString('base64');
  const shared = { DATABASE_URL: databaseUrl, PASSMAN_MASTER_KEY: masterKey, PASSMAN_LOG_LEVEL: 'warn' };
  const api = startPassMan('server', {
    ...shared,
    PASSMAN_ADMIN_PASSWORD: adminPassword,
    PASSMAN_HOST: '127.0.0.1',
    PASSMAN_PORT: String(port),
    PASSMAN_WORKER_CONCURRENCY: String(C),
    PASSMAN_RUN_WORKER: WORKERS > 1 ? 'false' : 'true',
    PASSMAN_WEB_DIST: '/nonexistent',
    // Plain HTTP: the benchmark measures jobs, not TLS (and makes no certificate).
    PASSMAN_TLS: 'off',
  });
  cleanups.push(() => api.stop());
  const pid = api.child.pid!;
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`PassMan exited with ${api.child.exitCode}`);
    const up = await fetch(`${origin}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  log(
    `PassMan (pid ${pid}, ${BUILT ? 'apps/api/dist/main.js, as npm start runs it' : 'main.ts through tsx'}) listening on ${origin} at ${elapsed()}; RSS ${(kb(pid, 'VmRSS') / 1024).toFixed(0)} MB`,
  );

  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => undefined); // the database is dropped WITH (FORCE) at the end
  cleanups.push(() => pool.end());
  let workers: PassManProcess[] = [];
  const pids = () => [pid, ...workers.map((w) => w.child.pid!)];
  const meter = cpuMeter(pool, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)), pids);
  const hwm = new Map<string, number>([[WORKERS > 1 ? 'API' : 'PassMan (npm start)', 0]]);
  const noteHwm = (label: string, p: number) => hwm.set(label, Math.max(hwm.get(label) ?? 0, kb(p, 'VmHWM') / 1024));

  /** Runs `fn` with `count` `npm run worker` processes of C/count slots each, ready (listening) before it starts. */
  async function withWorkers<T>(count: number, fn: (setup: string) => Promise<T>): Promise<T> {
    workers = Array.from({ length: count }, () =>
      startPassMan('worker', { ...shared, PASSMAN_WORKER_CONCURRENCY: String(C / count), PASSMAN_CHECK_INTERVAL_HOURS: '0', PASSMAN_ROTATE: 'false' }),
    );
    try {
      for (;;) {
        if (workers.some((w) => w.child.exitCode !== null)) throw new Error('a worker process exited');
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'passman-worker-listen'`,
        );
        if (rows[0]!.n >= count) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return await fn(count === 1 ? '1 worker process' : `${count} worker processes`);
    } finally {
      workers.forEach((w, i) => noteHwm(count === 1 ? 'worker (alone)' : `worker ${i + 1} of ${count}`, w.child.pid!));
      await Promise.all(workers.map((w) => w.stop()));
      workers = [];
    }
  }

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
    showPhase(p);
  };
  const deadline = t0 + BUDGET_MS;
  /**
   * Each PassMan setup (the in-process worker, or one and then WORKERS worker processes) against
   * the raw-ssh2 client doing the same operation on its own accounts, in ROUNDS alternating
   * rounds of 1/ROUNDS of the accounts each, in the order raw, PassMan, PassMan, raw, raw, …
   * (ABBA): what the targets' sshd costs per login drifts by 10–25 % over minutes on a shared
   * machine (other tenants, the CPU's clock), which decided a ratio measured over one long run
   * of each; alternating cancels a steady drift. Paired, too, because a reset leaves the
   * target's hash of the password in its default (yescrypt, ≈10× the CPU of the SHA-512 the
   * targets start with): each round resets each side's accounts for the same time.
   */
  const pairedPhases = async (name: Phase['name'], bodyFor: (accountIds: string[]) => object, rawWork: (a: Account) => Promise<void>) => {
    // Consecutive accounts of the round-robin order: each round reaches every target.
    const slice = <T>(items: T[], round: number) => items.slice(Math.round((round * items.length) / ROUNDS), Math.round(((round + 1) * items.length) / ROUNDS));
    const measure = async (setup: string) => {
      // Unmeasured checks first, so that each setup's processes meet the measured jobs warm, as a
      // long-running worker would (and the raw client gets the same).
      await warmUpChecks(rest, ids.slice(0, WARMUP), deadline);
      await runPool(rawAccounts.slice(0, WARMUP), C, (a) => rawVerify(raw(a)));
      const raws: Phase[] = [];
      const passmans: Phase[] = [];
      const rawRound = async (round: number) => raws.push(await rawPhase(meter, name, slice(rawAccounts, round), C, rawWork));
      const passmanRound = async (round: number) => {
        const accountIds = slice(ids, round);
        // A bulk reset needs a recent proof of the password (step-up); the login may be older than its window.
        await rest.post('/auth/reauth', { method: 'password', password: adminPassword });
        passmans.push(await passmanBulk({ rest, meter, pids: pids(), setup, deadline }, name, bodyFor(accountIds), accountIds.length));
      };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? [rawRound, passmanRound] : [passmanRound, rawRound];
        for (const run of order) await run(round);
      }
      show({ ...combinePhases(raws), setup: `beside ${setup}` });
      show(combinePhases(passmans));
    };
    if (WORKERS === 1) return measure('in-process worker');
    for (const count of [1, WORKERS]) await withWorkers(count, measure);
  };

  // Check: every account's password still is what it was.
  if (PHASES.has('check'))
    await pairedPhases(
      'check',
      (accountIds) => ({ kind: 'CHECK', accountIds }),
      (a) => rawVerify(raw(a)),
    );
  // Reset: login with the old password, passwd on stdin, a fresh login with the new one.
  if (PHASES.has('reset'))
    await pairedPhases(
      'reset',
      (accountIds) => ({ kind: 'RESET', accountIds, reset: { credentialType: 'PASSWORD', changeOnTarget: true } }),
      async (a) => {
        const next = newPassword();
        await rawChangePassword(raw(a), next);
        a.password = next;
        await rawVerify(raw(a));
      },
    );

  noteHwm(WORKERS > 1 ? 'API' : 'PassMan (npm start)', pid);
  report(
    phases,
    [...hwm].map(([label, mb]) => ({ label, mb })),
    elapsed(),
  );
  if (phases.some((p) => p.failures > 0)) process.exitCode = 1;
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
