// Test/bench-only (excluded from the build): how long the event loop is blocked.
//
// Wall-clock delay (monitorEventLoopDelay, a setInterval drift probe) also counts the
// time the OS gives other processes: on a busy 2-core machine (parallel jest workers,
// other builds) even an idle loop sees 60–80 ms gaps. What the vault controls is how
// long the main thread itself runs between two ticks, so on Linux the probe also reads
// the main thread's on-CPU time from /proc/self/task/<pid>/schedstat (nanoseconds).
import { existsSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopStall {
  /** Worst delay seen by monitorEventLoopDelay (wall clock). */
  histogramMaxMs: number;
  /** Worst lateness of a setInterval tick (wall clock). */
  probeMaxMs: number;
  /** Most on-CPU time of the main thread between two ticks; undefined where /proc is missing. */
  mainThreadCpuMaxMs: number | undefined;
}

const statPath = `/proc/self/task/${process.pid}/schedstat`;
const readCpuNs = existsSync(statPath) ? () => Number(readFileSync(statPath, 'utf8').split(' ')[0]) : undefined;

export function startEventLoopProbe(intervalMs = 5): { stop(): EventLoopStall } {
  const histogram = monitorEventLoopDelay({ resolution: intervalMs });
  histogram.enable();
  let probeMaxMs = 0;
  let cpuMaxMs = 0;
  let lastWall = performance.now();
  let lastCpu = readCpuNs?.() ?? 0;
  const timer = setInterval(() => {
    const now = performance.now();
    probeMaxMs = Math.max(probeMaxMs, now - lastWall - intervalMs);
    lastWall = now;
    if (readCpuNs) {
      const cpu = readCpuNs();
      cpuMaxMs = Math.max(cpuMaxMs, (cpu - lastCpu) / 1e6);
      lastCpu = cpu;
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      histogram.disable();
      return { histogramMaxMs: histogram.max / 1e6, probeMaxMs, mainThreadCpuMaxMs: readCpuNs ? cpuMaxMs : undefined };
    },
  };
}

export async function stallDuring(work: () => Promise<unknown>): Promise<EventLoopStall> {
  const intervalMs = 5;
  const probe = startEventLoopProbe(intervalMs);
  try {
    await work();
    // Let a few more ticks fire: a block in the last synchronous step of `work` only
    // shows as the lateness of the tick after it.
    await new Promise((resolve) => setTimeout(resolve, 4 * intervalMs));
  } catch (error) {
    probe.stop();
    throw error;
  }
  return probe.stop();
}

/**
 * The figure to hold against a limit: the main thread's own CPU time where Linux
 * tells it, else the wall-clock delay (best of `attempts`, since a stall caused by
 * other processes rarely repeats while code that blocks does so every time).
 */
export async function worstBlockingMs(work: () => Promise<unknown>, attempts = 3): Promise<{ blockingMs: number; stalls: EventLoopStall[] }> {
  const stalls: EventLoopStall[] = [];
  for (let i = 0; i < attempts; i += 1) {
    const stall = await stallDuring(work);
    stalls.push(stall);
    if (stall.mainThreadCpuMaxMs !== undefined) return { blockingMs: stall.mainThreadCpuMaxMs, stalls };
  }
  return { blockingMs: Math.min(...stalls.map((s) => Math.max(s.histogramMaxMs, s.probeMaxMs))), stalls };
}
