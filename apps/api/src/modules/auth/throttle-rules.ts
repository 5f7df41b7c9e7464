// The login throttle's limits and the arithmetic of its blocks and delays: shared by the
// throttle (login-throttle.ts) and the repo that counts attempts in one statement.

/** A counter that refuses its key for a while once it has seen too many failed logins. */
export interface ThrottleRule {
  /** Failed attempts within the window; the attempt that reaches this number starts a block. */
  maxFailures: number;
  windowMs: number;
  /** First block; doubles with each further failure, up to maxBlockMs. */
  baseBlockMs: number;
  maxBlockMs: number;
}

/** A counter that never refuses, only slows: the ceiling of one username over every source. */
export interface SlowdownRule {
  /** Failed attempts within the window that cost nothing. */
  freeFailures: number;
  windowMs: number;
  /** Delay of the first attempt past the free ones; doubles with each further one, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ThrottleRules {
  /** One source guessing one username: refused, even with the right password. */
  pair: ThrottleRule;
  /** One source guessing many usernames. */
  source: ThrottleRule;
  /** One username guessed from anywhere: slowed, never refused (so nobody can lock its owner out). */
  user: SlowdownRule;
}

export const DEFAULT_THROTTLE: ThrottleRules = {
  pair: { maxFailures: 5, windowMs: 15 * 60_000, baseBlockMs: 30_000, maxBlockMs: 15 * 60_000 },
  source: { maxFailures: 30, windowMs: 15 * 60_000, baseBlockMs: 60_000, maxBlockMs: 30 * 60_000 },
  user: { freeFailures: 10, windowMs: 15 * 60_000, baseDelayMs: 500, maxDelayMs: 8_000 },
};

export function blockDuration(rule: ThrottleRule, failures: number): number {
  if (failures < rule.maxFailures) return 0;
  return Math.min(rule.baseBlockMs * 2 ** Math.min(failures - rule.maxFailures, 30), rule.maxBlockMs);
}

export function slowdownDelay(rule: SlowdownRule, failures: number): number {
  if (failures <= rule.freeFailures) return 0;
  return Math.min(rule.baseDelayMs * 2 ** Math.min(failures - rule.freeFailures - 1, 30), rule.maxDelayMs);
}
