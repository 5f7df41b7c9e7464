import { readFile } from 'node:fs/promises';
import type pg from 'pg';

/**
 * CPU figures that hold up on a busy machine (latency does not): CPU time of this process's
 * main thread (the API server's event loop, or the pg baseline's client) and of the
 * PostgreSQL backends serving the benchmark's database, read from /proc (null where that
 * is not possible, e.g. a server on another machine).
 */
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime in ms from a /proc/…/stat line (fields 14 and 15; the command may hold spaces). */
async function statCpuMs(path: string): Promise<number | null> {
  try {
    const stat = await readFile(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

async function backendsCpuMs(admin: pg.Pool, database: string): Promise<Map<number, number> | null> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  const byPid = new Map<number, number>();
  for (const { pid } of rows) {
    const ms = await statCpuMs(`/proc/${pid}/stat`);
    if (ms === null) return null;
    byPid.set(pid, ms);
  }
  return byPid;
}

export interface CpuSnapshot {
  mainThreadMs: number | null;
  backends: Map<number, number> | null;
}

export interface CpuPerRequest {
  mainThreadMs: number | null;
  postgresMs: number | null;
}

export function cpuMeter(admin: pg.Pool, database: string) {
  // The main thread's id is the process id.
  const mainThread = () => statCpuMs(`/proc/self/task/${process.pid}/stat`);
  return {
    async start(): Promise<CpuSnapshot> {
      return { mainThreadMs: await mainThread(), backends: await backendsCpuMs(admin, database) };
    },
    async perRequest(since: CpuSnapshot, requests: number): Promise<CpuPerRequest> {
      const [main, backends] = [await mainThread(), await backendsCpuMs(admin, database)];
      let postgres: number | null = null;
      if (backends && since.backends) {
        postgres = 0;
        for (const [pid, ms] of backends) postgres += ms - (since.backends.get(pid) ?? 0);
      }
      const n = Math.max(1, requests);
      return {
        mainThreadMs: main === null || since.mainThreadMs === null ? null : (main - since.mainThreadMs) / n,
        postgresMs: postgres === null ? null : postgres / n,
      };
    },
  };
}
