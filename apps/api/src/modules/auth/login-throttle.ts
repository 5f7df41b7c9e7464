import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { AppError } from '../../lib/app-error.js';
import type { AuthRepo } from './auth.repo.js';
import { DEFAULT_THROTTLE, slowdownDelay, type ThrottleRules } from './throttle-rules.js';

export { blockDuration, DEFAULT_THROTTLE, slowdownDelay, type SlowdownRule, type ThrottleRule, type ThrottleRules } from './throttle-rules.js';

/**
 * Whom a login attempt is about. An existing user by id; any other typed name only as one of
 * 65 536 buckets, so the throttle table never holds what was typed (often a password typed
 * into the username field), while a guessed name behaves just like an existing one.
 */
export function throttleSubject(typedUsername: string, userId: string | null): string {
  if (userId) return `user:${userId}`;
  return `name:${createHash('sha256').update(typedUsername.trim().toLowerCase()).digest('hex').slice(0, 4)}`;
}

function ipv6Groups(address: string): number[] | null {
  const plain = address.split('%')[0]!;
  if (!isIPv6(plain)) return null;
  const toGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = plain.split('::');
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The source a throttle counts: an IPv4 address, or the /64 network of an IPv6 one (one
 * host usually holds a whole /64, so single IPv6 addresses would be free to rotate).
 */
export function sourceKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** One admitted login attempt: report how it ended. */
export interface LoginAttempt {
  /** Wrong password (or unknown or disabled user): answers after the slow-down, when one is due. */
  failed(): Promise<void>;
  /** The right password: clears this source's failures for the user and undoes this attempt's counts. */
  succeeded(): Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Login throttling, with its state in PostgreSQL (shared by every API process). Every attempt
 * is counted before the password is checked, so racing requests cannot get more guesses than
 * the rules allow; a blocked key answers 429 without the password being looked at.
 */
export function createLoginThrottle(deps: { repo: AuthRepo; rules?: ThrottleRules; now?: () => Date; sleep?: (ms: number) => Promise<void> }) {
  const rules = deps.rules ?? DEFAULT_THROTTLE;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? sleepFor;

  async function refuse(keys: string[], at: Date): Promise<never> {
    const rows = await deps.repo.getThrottles(keys);
    const until = Math.max(at.getTime() + 1000, ...rows.map((r) => r.blockedUntil?.getTime() ?? 0));
    const retryAfter = Math.ceil((until - at.getTime()) / 1000);
    throw new AppError('RATE_LIMITED', `Too many failed logins; try again in ${retryAfter} s`, {
      headers: { 'Retry-After': String(retryAfter) },
    });
  }

  return {
    /** Counts an attempt, or throws RATE_LIMITED (429 with Retry-After). May wait first (see SlowdownRule). */
    async admit(subject: string, ip: string | null): Promise<LoginAttempt> {
      const source = sourceKey(ip);
      const keys = { pair: `pair:${subject}@${source}`, source: `src:${source}`, user: `ceil:${subject}` };
      const at = now();
      const current = await deps.repo.getThrottles([keys.pair, keys.source]);
      if (current.some((r) => r.blockedUntil && r.blockedUntil > at)) await refuse([keys.pair, keys.source], at);
      // A key blocked since the read above (a racing attempt reached the limit) refuses here.
      const pair = await deps.repo.countAttempt(keys.pair, at, rules.pair);
      if (!pair) await refuse([keys.pair, keys.source], at);
      const bySource = await deps.repo.countAttempt(keys.source, at, rules.source);
      if (!bySource) await refuse([keys.pair, keys.source], at);
      const userFailures = await deps.repo.countFailure(keys.user, at, rules.user.windowMs);

      const delay = slowdownDelay(rules.user, userFailures);
      // A source that already failed for this user waits before its password is checked.
      const waited = delay > 0 && pair!.failures > 1;
      if (waited) await sleep(delay);
      return {
        async failed() {
          if (delay > 0 && !waited) await sleep(delay);
        },
        async succeeded() {
          await deps.repo.clearThrottle(keys.pair);
          await deps.repo.uncountAttempt(keys.source, rules.source.maxFailures);
          await deps.repo.uncountAttempt(keys.user, null);
        },
      };
    },

    /** Deletes rows whose window has closed and whose block has ended; returns how many. */
    async purgeExpired(): Promise<number> {
      const at = now();
      const longestWindow = Math.max(rules.pair.windowMs, rules.source.windowMs, rules.user.windowMs);
      return deps.repo.deleteLapsedThrottles(at, new Date(at.getTime() - longestWindow));
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
