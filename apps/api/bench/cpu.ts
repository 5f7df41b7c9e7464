import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU figures that hold up on a busy machine (latency does not): CPU time of this process's
 * main thread (the API server's event loop, or the pg baseline's client) and of the
 * PostgreSQL backends serving the benchmark's database, read from /proc (null where that
 * is not possible, e.g. a server on another machine).
 *
 * Every read is synchronous, so a snapshot is taken the moment it is asked for. Awaiting reads
 * (and a query of pg_stat_activity to find the backends) on the main thread while it serves
 * 20 clients took up to 2 s under load: the snapshot that opened a measurement was taken near
 * its end, and most of the requests' CPU went uncounted.
 */
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime in ms from a /proc/…/stat line (fields 14 and 15; the command may hold spaces). */
function statCpuMs(path: string): number | null {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * The backends connected to `database`, found by their process title, which PostgreSQL sets to
 * "postgres: [cluster: ]user database host(port) state" (update_process_title, on by default).
 */
function backendsCpuMs(database: string): Map<number, number> | null {
  const byPid = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let title: string;
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // gone, or not ours to read
    }
    if (!title.startsWith('postgres: ') || !title.replace(/\0/g, ' ').split(/\s+/).includes(database)) continue;
    const ms = statCpuMs(`/proc/${entry}/stat`);
    if (ms !== null) byPid.set(Number(entry), ms);
  }
  return byPid.size > 0 ? byPid : null;
}

export interface CpuSnapshot {
  mainThreadMs: number | null;
  backends: Map<number, number> | null;
}

export interface CpuPerRequest {
  mainThreadMs: number | null;
  postgresMs: number | null;
}

export function cpuMeter(database: string) {
  // The main thread's id is the process id.
  const mainThread = () => statCpuMs(`/proc/self/task/${process.pid}/stat`);
  return {
    start(): CpuSnapshot {
      return { mainThreadMs: mainThread(), backends: backendsCpuMs(database) };
    },
    /** CPU per request since `since`; a backend that ended in between is lost, one that started counts whole. */
    perRequest(since: CpuSnapshot, requests: number): CpuPerRequest {
      const [main, backends] = [mainThread(), backendsCpuMs(database)];
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
