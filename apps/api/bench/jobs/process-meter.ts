import { readFileSync } from 'node:fs';
import type pg from 'pg';

// Memory and CPU of PassMan's processes, PostgreSQL's backends, the driver and the machine, from /proc.

export function kb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
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
  passman: Map<number, number>;
  postgres: Map<number, number>;
  driver: number;
  machine: number;
}

export interface CpuUse {
  commits: number;
  passman: number;
  /** Of `passman`, the first of `passmanPids()`: the API process (with its worker, when in-process). */
  api: number;
  postgres: number;
  driver: number;
  rest: number;
}

const sumSince = (end: Map<number, number>, start: Map<number, number>) => {
  let total = 0;
  for (const [pid, ms] of end) total += ms - (start.get(pid) ?? 0);
  return total;
};

/**
 * Where the CPU goes: PassMan's processes (the API and its worker processes: `passmanPids()` is
 * read at each snapshot), the PostgreSQL backends of the bench database, this driver, the rest
 * (sshd, other work).
 */
export function cpuMeter(pool: pg.Pool, database: string, passmanPids: () => number[]) {
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
      const passman = new Map(passmanPids().map((pid) => [pid, processCpuMs(pid)]));
      return { commits: Number(rows[0]?.n ?? 0), passman, postgres: await backends(), driver: driver(), machine: machineBusyMs() };
    },
    async since(start: CpuSnapshot): Promise<CpuUse> {
      await new Promise((r) => setTimeout(r, 1_200)); // let every backend publish its counters
      const end = await this.snapshot();
      const postgres = sumSince(end.postgres, start.postgres);
      const passman = sumSince(end.passman, start.passman);
      const [apiPid] = end.passman.keys();
      const api = apiPid === undefined ? 0 : (end.passman.get(apiPid) ?? 0) - (start.passman.get(apiPid) ?? 0);
      const driverMs = end.driver - start.driver;
      const machine = end.machine - start.machine;
      return { passman, api, postgres, driver: driverMs, rest: machine - passman - postgres - driverMs, commits: end.commits - start.commits };
    },
  };
}
export type CpuMeter = ReturnType<typeof cpuMeter>;
