/**
 * Crash testing: with PASSMAN_FAULT_INJECTION=1 and PASSMAN_CRASH_AT=<point>, the worker
 * kills itself with SIGKILL when it reaches that point of a RESET (or, `import-batch-written`,
 * when an import's batch of rows has committed) — the crash-safety tests prove recovery from
 * each. PASSMAN_CRASH_ON_HIT=<n> waits for the n-th time any job reaches
 * it (default 1), so a worker can die mid-batch with work done and work in flight.
 * PASSMAN_CRASH_SIGNAL=SIGTERM asks for a graceful stop at that point instead (the worker gives
 * back what it can and exits), as an operator's stop or a deployment's would; with
 * PASSMAN_CRASH_THEN_HANG=1 the run then waits at that point for ever, as one stuck on a target
 * that never answers would, so that only the shutdown deadline ends the process (not at
 * `apply-sent`, which the connector does not wait for). Without
 * PASSMAN_FAULT_INJECTION and PASSMAN_CRASH_AT this does nothing. Tests that run the
 * worker in-process pass their own injector instead (e.g. to take the network away at a point).
 */
export const RESET_CRASH_POINTS = ['after-pending', 'apply-sent', 'after-applied', 'after-verified', 'after-promoted'] as const;
export const CRASH_POINTS = [...RESET_CRASH_POINTS, 'import-batch-written'] as const;
export type ResetCrashPoint = (typeof RESET_CRASH_POINTS)[number];
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface FaultInjector {
  /** Awaited at every point but `apply-sent` (called from inside the connector, which does not wait). */
  hit(point: CrashPoint): void | Promise<void>;
}

export function createFaultInjector(env: NodeJS.ProcessEnv = process.env): FaultInjector {
  const armed = env.PASSMAN_FAULT_INJECTION === '1' ? env.PASSMAN_CRASH_AT : undefined;
  const onHit = Math.max(1, Number.parseInt(env.PASSMAN_CRASH_ON_HIT ?? '1', 10) || 1);
  const signal = env.PASSMAN_CRASH_SIGNAL === 'SIGTERM' ? 'SIGTERM' : 'SIGKILL';
  const hang = env.PASSMAN_CRASH_THEN_HANG === '1';
  let hits = 0;
  return {
    hit(point) {
      if (armed !== point || ++hits !== onHit) return;
      process.kill(process.pid, signal);
      if (hang) return new Promise<void>(() => undefined);
    },
  };
}

export const noFaults: FaultInjector = { hit: () => undefined };
