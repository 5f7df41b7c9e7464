import { AppError } from '../../lib/app-error.js';
import type { AuthRepo } from './auth.repo.js';

export interface ThrottleRule {
  /** Failures within the window before blocking starts. */
  maxFailures: number;
  windowMs: number;
  /** First block; doubles with each further failure, up to maxBlockMs. */
  baseBlockMs: number;
  maxBlockMs: number;
}

/**
 * Per-user blocks stay short (a minute or two) so an attacker cannot lock an operator out
 * for long; per-IP blocks grow longer, since one address guessing many names is the attack.
 */
export const DEFAULT_THROTTLE = {
  user: { maxFailures: 5, windowMs: 15 * 60_000, baseBlockMs: 15_000, maxBlockMs: 2 * 60_000 },
  ip: { maxFailures: 30, windowMs: 15 * 60_000, baseBlockMs: 60_000, maxBlockMs: 30 * 60_000 },
} satisfies Record<string, ThrottleRule>;

export function blockDuration(rule: ThrottleRule, failures: number): number {
  if (failures < rule.maxFailures) return 0;
  return Math.min(rule.baseBlockMs * 2 ** (failures - rule.maxFailures), rule.maxBlockMs);
}

export function createLoginThrottle(deps: { repo: AuthRepo; rules?: typeof DEFAULT_THROTTLE; now?: () => Date }) {
  const rules = deps.rules ?? DEFAULT_THROTTLE;
  const now = deps.now ?? (() => new Date());
  const keys = (username: string, ip: string | null) => ({
    user: `user:${username.toLowerCase()}`,
    ip: ip ? `ip:${ip}` : null,
  });

  return {
    /** Throws RATE_LIMITED (429 with Retry-After) while the user or the address is blocked. */
    async assertAllowed(username: string, ip: string | null): Promise<void> {
      const k = keys(username, ip);
      const rows = await deps.repo.getThrottles(k.ip ? [k.user, k.ip] : [k.user]);
      const t = now().getTime();
      const until = Math.max(0, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
      if (until > t) {
        const retryAfter = Math.ceil((until - t) / 1000);
        throw new AppError('RATE_LIMITED', `Too many failed logins; try again in ${retryAfter} s`, {
          headers: { 'Retry-After': String(retryAfter) },
        });
      }
    },

    async recordFailure(username: string, ip: string | null): Promise<void> {
      const k = keys(username, ip);
      const at = now();
      const pairs: [string, ThrottleRule][] = [[k.user, rules.user]];
      if (k.ip) pairs.push([k.ip, rules.ip]);
      for (const [key, rule] of pairs) {
        const failures = await deps.repo.countFailure(key, at, rule.windowMs);
        const block = blockDuration(rule, failures);
        if (block > 0) await deps.repo.blockUntil(key, new Date(at.getTime() + block));
      }
    },

    async recordSuccess(username: string): Promise<void> {
      await deps.repo.clearThrottle(keys(username, null).user);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
