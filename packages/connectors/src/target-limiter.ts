import { ConnectorError } from './connector-error.js';

export interface TargetLimiterOptions {
  /** Concurrent connections per target; sshd's MaxStartups drops unauthenticated ones past 10. */
  maxConnectionsPerTarget: number;
  /** First pause after a rejected login; doubles per further rejection up to authBackoffMaxMs. */
  authBackoffBaseMs: number;
  authBackoffMaxMs: number;
}

export interface TargetLimiterDeps {
  now?: () => number;
}

interface TargetState {
  active: number;
  queue: Array<() => void>;
  failures: number;
  /** Epoch ms before which no new login is attempted. */
  quietUntil: number;
}

export interface TargetLimiter {
  /** Waits for a connection slot for `key`; rejects with the signal's reason if it aborts first. */
  acquire(key: string, signal: AbortSignal): Promise<() => void>;
  /** Ms to wait before the next login to `key` (0: go). */
  backoffRemaining(key: string): number;
  recordAuthRejected(key: string): void;
  recordAuthAccepted(key: string): void;
}

/**
 * Per-target connection cap and back-off after rejected logins. OpenSSH 9.8+ penalises
 * source addresses whose logins fail (PerSourcePenalties): a burst of wrong-password checks
 * could get PassMan refused by a host for minutes, so after a rejection the next login to
 * that target waits, exponentially longer while rejections continue.
 */
export function createTargetLimiter(options: TargetLimiterOptions, deps: TargetLimiterDeps = {}): TargetLimiter {
  const now = deps.now ?? Date.now;
  const states = new Map<string, TargetState>();
  const state = (key: string): TargetState => {
    let s = states.get(key);
    if (!s) {
      s = { active: 0, queue: [], failures: 0, quietUntil: 0 };
      states.set(key, s);
    }
    return s;
  };
  const forgetIfIdle = (key: string, s: TargetState): void => {
    if (s.active === 0 && s.queue.length === 0 && s.failures === 0) states.delete(key);
  };

  return {
    acquire(key, signal) {
      const s = state(key);
      const grant = (): (() => void) => {
        s.active += 1;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          s.active -= 1;
          const next = s.queue.shift();
          if (next) next();
          else forgetIfIdle(key, s);
        };
      };
      if (s.active < options.maxConnectionsPerTarget && s.queue.length === 0) return Promise.resolve(grant());
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          const i = s.queue.indexOf(wake);
          if (i >= 0) s.queue.splice(i, 1);
          forgetIfIdle(key, s);
          reject(signal.reason instanceof ConnectorError ? signal.reason : new ConnectorError('CANCELLED', 'the operation was cancelled'));
        };
        function wake(): void {
          signal.removeEventListener('abort', onAbort);
          resolve(grant());
        }
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        s.queue.push(wake);
      });
    },
    backoffRemaining(key) {
      const s = states.get(key);
      return s ? Math.max(0, s.quietUntil - now()) : 0;
    },
    recordAuthRejected(key) {
      const s = state(key);
      s.failures += 1;
      const delay = Math.min(options.authBackoffMaxMs, options.authBackoffBaseMs * 2 ** (s.failures - 1));
      s.quietUntil = Math.max(s.quietUntil, now() + delay);
    },
    recordAuthAccepted(key) {
      const s = states.get(key);
      if (!s) return;
      s.failures = 0;
      s.quietUntil = 0;
      forgetIfIdle(key, s);
    },
  };
}
