// Test-only (excluded from the build): where a piece of work spends its CPU.
//
// "Does not block the event loop" is a latency, and latency on a shared 2-core machine
// swings with whatever else runs (a major GC of a long-lived jest worker alone can hold
// the loop for hundreds of milliseconds), so tests do not hold it against a limit; the
// vault bench reports it. What a test can hold without timing is the mechanism: the
// heavy part of the work runs on another thread, so the main thread's own CPU time is a
// small share of the CPU the process spends on it. Both figures are CPU time, which
// other processes on the machine do not inflate.
import { readFileSync } from 'node:fs';

const statPath = `/proc/self/task/${process.pid}/schedstat`;

function mainThreadCpuMs(): number {
  // First field: nanoseconds this task (the main thread) ran on a CPU.
  return Number(readFileSync(statPath, 'utf8').split(' ')[0]) / 1e6;
}

function processCpuMs(): number {
  // getrusage(RUSAGE_SELF): every thread of the process, including worker threads that
  // have already exited and libuv's pool.
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
}

export interface CpuSplit {
  mainThreadMs: number;
  processMs: number;
  /** mainThreadMs / processMs. */
  mainThreadShare: number;
}

export async function cpuSplitOf(work: () => Promise<unknown>): Promise<CpuSplit> {
  const main0 = mainThreadCpuMs();
  const process0 = processCpuMs();
  await work();
  const mainThreadMs = mainThreadCpuMs() - main0;
  const processMs = processCpuMs() - process0;
  return { mainThreadMs, processMs, mainThreadShare: mainThreadMs / processMs };
}
