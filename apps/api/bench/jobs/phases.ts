import { loadavg } from 'node:os';
import { percentile, runPool } from '../../../../packages/connectors/bench/stats.js';
import type { Rest } from './passman-processes.js';
import { kb, type CpuMeter, type CpuUse } from './process-meter.js';

// The timed phases of bench:jobs and its report.

/** The goals, as ratios of PassMan's throughput to raw ssh2's at the same concurrency, and PassMan's peak RSS per process. */
export const GOALS = { check: 0.95, reset: 0.9, rssMb: 250 };

const log = (message: string) => process.stdout.write(`${message}\n`);

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

export interface Phase {
  name: 'check' | 'reset';
  client: 'passman' | 'raw-ssh2';
  /** PassMan: how its workers ran (in-process, or N worker processes). */
  setup?: string;
  ops: number;
  failures: number;
  wallMs: number;
  p95Ms: number;
  /** PassMan: time spent running one job (startedAt → finishedAt), comparable with the raw per-operation latency. */
  runP95Ms?: number;
  note?: string;
  /** PassMan: the highest VmRSS sampled of any one of its processes. */
  peakRssMb?: number;
  cpu?: CpuUse;
  /** Combined from rounds (combinePhases): each round's operations per second. */
  roundRates?: number[];
}

/**
 * One phase out of the rounds of one client and setup (jobs.bench.ts pairedPhases): operations,
 * time and CPU added up, so its rate is all the rounds' operations over all their time; the
 * latencies are the highest round's; `roundRates` keeps each round's rate.
 */
export function combinePhases(rounds: Phase[]): Phase {
  const [first] = rounds;
  if (!first) throw new Error('no rounds to combine');
  const sum = (f: (p: Phase) => number) => rounds.reduce((total, p) => total + f(p), 0);
  const max = (f: (p: Phase) => number | undefined) => Math.max(...rounds.map((p) => f(p) ?? Number.NaN));
  const cpu = rounds.every((p) => p.cpu)
    ? {
        passman: sum((p) => p.cpu!.passman),
        api: sum((p) => p.cpu!.api),
        postgres: sum((p) => p.cpu!.postgres),
        driver: sum((p) => p.cpu!.driver),
        rest: sum((p) => p.cpu!.rest),
        commits: sum((p) => p.cpu!.commits),
      }
    : undefined;
  return {
    ...first,
    ops: sum((p) => p.ops),
    failures: sum((p) => p.failures),
    wallMs: sum((p) => p.wallMs),
    p95Ms: max((p) => p.p95Ms),
    ...(first.runP95Ms !== undefined && { runP95Ms: max((p) => p.runP95Ms) }),
    ...(first.peakRssMb !== undefined && { peakRssMb: max((p) => p.peakRssMb) }),
    note: `${rounds.length} rounds`,
    roundRates: rounds.map((p) => (p.ops / p.wallMs) * 1000),
    ...(cpu && { cpu }),
  };
}

/** POST /jobs/bulk, then waits for the batch to be done; per-job latencies from the job rows. */
export async function passmanBulk(
  p: { rest: Rest; meter: CpuMeter; pids: number[]; setup: string; deadline: number },
  name: Phase['name'],
  body: object,
  total: number,
): Promise<Phase> {
  const cpuStart = await p.meter.snapshot();
  let peakKb = 0;
  const sample = () => (peakKb = Math.max(peakKb, ...p.pids.map((pid) => kb(pid, 'VmRSS'))));
  const sampler = setInterval(sample, 100);
  const started = performance.now();
  const startedAt = Date.now();
  try {
    const batch = await p.rest.post<BatchView>('/jobs/bulk', body);
    const accepted = performance.now() - started;
    let view = batch;
    while (!view.done) {
      if (performance.now() > p.deadline) throw new Error(`${name}: over the time budget with ${JSON.stringify(view.counts)}`);
      // Polled like an integrator would; the end time comes from the job rows, so this only finds out.
      await new Promise((r) => setTimeout(r, 500));
      view = await p.rest.get<BatchView>(`/batches/${batch.id}`);
    }
    const cpu = await p.meter.since(cpuStart);
    const jobs = await allJobs(p.rest, batch.id);
    if (jobs.length !== total) throw new Error(`${name}: ${jobs.length} jobs listed, expected ${total}`);
    // The batch was done when its last job finished (same machine, same clock); polling only finds out later.
    const wallMs = Math.max(...jobs.map((j) => Date.parse(j.finishedAt ?? ''))) - startedAt;
    if (!Number.isFinite(wallMs)) throw new Error(`${name}: a job of a done batch has no finishedAt`);
    const ms = (a: string | null, b: string | null) => (a && b ? Date.parse(b) - Date.parse(a) : Number.NaN);
    const failed = jobs.filter((j) => j.state !== 'succeeded');
    if (failed.length > 0) log(`  ${name}: ${failed.length} jobs not succeeded, e.g. ${JSON.stringify(failed[0])}`);
    sample();
    return {
      name,
      client: 'passman',
      setup: p.setup,
      ops: total,
      failures: failed.length,
      wallMs,
      p95Ms: percentile(jobs.map((j) => ms(j.createdAt, j.finishedAt)).filter(Number.isFinite), 95),
      runP95Ms: percentile(jobs.map((j) => ms(j.startedAt, j.finishedAt)).filter(Number.isFinite), 95),
      note: `POST /jobs/bulk answered in ${(accepted / 1000).toFixed(1)} s`,
      peakRssMb: peakKb / 1024,
      cpu,
    };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Runs a bulk CHECK of `accountIds` through the API to its end, unmeasured: a worker process
 * started for a phase would otherwise compile its hot paths (ssh2, the driver, the completions)
 * during the measured jobs, which a long-running worker does once.
 */
export async function warmUpChecks(rest: Rest, accountIds: string[], deadline: number): Promise<void> {
  if (accountIds.length === 0) return;
  let view = await rest.post<BatchView>('/jobs/bulk', { kind: 'CHECK', accountIds });
  while (!view.done) {
    if (performance.now() > deadline) throw new Error(`warm-up: over the time budget with ${JSON.stringify(view.counts)}`);
    await new Promise((r) => setTimeout(r, 200));
    view = await rest.get<BatchView>(`/batches/${view.id}`);
  }
}

export async function rawPhase<T>(meter: CpuMeter, name: Phase['name'], items: T[], concurrency: number, work: (a: T) => Promise<void>): Promise<Phase> {
  const cpuStart = await meter.snapshot();
  const started = performance.now();
  const { latenciesMs, failures, errors } = await runPool(items, concurrency, work);
  const wallMs = performance.now() - started;
  const cpu = await meter.since(cpuStart);
  if (errors.length > 0) log(`  ${name} raw-ssh2: ${errors.length} failures, first: ${String(errors[0])}`);
  return { name, client: 'raw-ssh2', ops: items.length, failures, wallMs, p95Ms: percentile(latenciesMs, 95), cpu };
}

export const showPhase = (p: Phase) =>
  log(
    `  ${p.name} ${p.client}${p.setup ? ` (${p.setup})` : ''}: ${p.ops} in ${(p.wallMs / 1000).toFixed(1)} s = ${((p.ops / p.wallMs) * 1000).toFixed(1)}/s, p95 ${p.p95Ms.toFixed(0)} ms${p.failures ? `, ${p.failures} FAILED` : ''}${p.note ? ` (${p.note})` : ''}`,
  );

/** The tables of a run: throughput, goals as ratios to raw ssh2 for each PassMan setup, CPU per job, peak RSS per process. */
export function report(phases: Phase[], hwm: { label: string; mb: number }[], elapsed: string): void {
  const rate = (p: Phase) => (p.ops / p.wallMs) * 1000;
  const who = (p: Phase) => (p.setup ? `${p.client}, ${p.setup}` : p.client);
  log('');
  log('| operation | client | jobs | failures | jobs/s | p95 per job ms (createdAt→finishedAt) | p95 run ms (startedAt→finishedAt / per op) |');
  log('|---|---|---:|---:|---:|---:|---:|');
  for (const p of phases) {
    const perJob = p.client === 'passman' ? p.p95Ms.toFixed(0) : '—';
    const run = p.client === 'passman' ? (p.runP95Ms ?? Number.NaN).toFixed(0) : p.p95Ms.toFixed(0);
    log(`| ${p.name} | ${who(p)} | ${p.ops} | ${p.failures} | ${rate(p).toFixed(1)} | ${perJob} | ${run} |`);
  }
  log('');
  log('| operation | PassMan setup | PassMan / raw-ssh2 throughput | each round | goal | met |');
  log('|---|---|---:|---|---:|---|');
  // Each PassMan setup against the raw-ssh2 runs of the same operation it alternated with (shown just before it).
  phases.forEach((pm, i) => {
    const { name } = pm;
    const rw = phases.slice(0, i).findLast((p) => p.name === name && p.client === 'raw-ssh2');
    if (pm.client === 'passman' && rw) {
      const ratio = rate(pm) / rate(rw);
      const rounds = pm.roundRates?.map((r, k) => `${(r / (rw.roundRates?.[k] ?? Number.NaN)).toFixed(2)}×`).join(' ') ?? '';
      log(`| ${name} | ${pm.setup ?? ''} | ${ratio.toFixed(2)}× | ${rounds} | ≥ ${GOALS[name]}× | ${ratio >= GOALS[name] ? 'yes' : 'NO'} |`);
    }
  });
  log('');
  log(
    'CPU per job (ms; 2 cores = 2,000 ms of CPU per second). PassMan counts all its processes. "rest" is everything else on the machine: the sshd targets, and any other work sharing it.',
  );
  log('');
  log(
    '| operation | client | PassMan processes | of it, the API process | PostgreSQL backends | bench driver (raw-ssh2 client) | rest of the machine | database transactions per job |',
  );
  log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const p of phases) {
    const c = p.cpu;
    if (!c) continue;
    const per = (ms: number) => (ms / p.ops).toFixed(1);
    log(
      `| ${p.name} | ${who(p)} | ${p.client === 'passman' ? per(c.passman) : '—'} | ${p.client === 'passman' ? per(c.api) : '—'} | ${per(c.postgres)} | ${per(c.driver)} | ${per(c.rest)} | ${p.client === 'passman' ? per(c.commits) : '—'} |`,
    );
  }
  const sampled = Math.max(...phases.map((p) => p.peakRssMb ?? 0));
  const worst = Math.max(...hwm.map((h) => h.mb));
  log('');
  log(
    `PassMan peak RSS per process (VmHWM): ${hwm.map((h) => `${h.label} ${h.mb.toFixed(0)} MB`).join(', ')} (highest sampled VmRSS during the batches ${sampled.toFixed(0)} MB); goal ≤ ${GOALS.rssMb} MB each: ${worst <= GOALS.rssMb ? 'met' : 'NOT met'}`,
  );
  log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end; total ${elapsed}`,
  );
}
