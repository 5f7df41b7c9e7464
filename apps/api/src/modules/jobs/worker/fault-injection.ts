/**
 * Crash testing: with PASSMAN_FAULT_INJECTION=1 and PASSMAN_CRASH_AT=<point>, the worker
 * kills itself with SIGKILL when it reaches that point of a RESET — the crash-safety tests
 * prove recovery from each. Without both variables this does nothing.
 */
export const CRASH_POINTS = ['after-pending', 'apply-sent', 'after-applied', 'after-verified', 'after-promoted'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export interface FaultInjector {
  hit(point: CrashPoint): void;
}

export function createFaultInjector(env: NodeJS.ProcessEnv = process.env): FaultInjector {
  const armed = env.PASSMAN_FAULT_INJECTION === '1' ? env.PASSMAN_CRASH_AT : undefined;
  return {
    hit(point) {
      if (armed === point) process.kill(process.pid, 'SIGKILL');
    },
  };
}

export const noFaults: FaultInjector = { hit: () => undefined };
