import type { Response } from 'express';
import { AppError } from '../lib/app-error.js';
import type { Actor } from '../lib/actor.js';

export interface StreamLimits {
  /** Open event streams one session (or one API token) may hold. */
  perClient: number;
  /** Open event streams of the whole process. */
  total: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perClient: 8, total: 500 };

export interface StreamLimiter {
  /**
   * Counts a new stream for the actor until `res` closes, or throws RATE_LIMITED (429) when
   * the actor or the process already holds its share.
   */
  admit(actor: Actor, res: Response): void;
  /** Streams open now: for tests and metrics. */
  open(): number;
}

/** The client a stream is counted against: its session, or its API token. */
function clientKey(actor: Actor): string {
  if (actor.kind === 'session' && actor.sessionId) return `session:${actor.sessionId}`;
  if (actor.kind === 'token' && actor.tokenId) return `token:${actor.tokenId}`;
  return `user:${actor.userId}`;
}

/**
 * Every open Server-Sent Events stream holds a socket and renders on every change it follows:
 * without a cap, one client (or a stolen token) could hold thousands. Counts are per process.
 */
export function createStreamLimiter(limits: StreamLimits = DEFAULT_STREAM_LIMITS): StreamLimiter {
  const perClient = new Map<string, number>();
  let total = 0;
  const refuse = (message: string) => new AppError('RATE_LIMITED', message, { headers: { 'Retry-After': '5' } });

  return {
    admit(actor, res) {
      const key = clientKey(actor);
      const mine = perClient.get(key) ?? 0;
      if (mine >= limits.perClient) {
        throw refuse(`At most ${limits.perClient} event streams may be open per session or token; close one, or poll the resource instead`);
      }
      if (total >= limits.total) throw refuse('PassMan has as many event streams open as it allows; poll the resource instead, or try again shortly');
      perClient.set(key, mine + 1);
      total += 1;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (perClient.get(key) ?? 1) - 1;
        if (left > 0) perClient.set(key, left);
        else perClient.delete(key);
      };
      // A client gone already will never fire 'close' again.
      if (res.closed || res.req.destroyed) release();
      else res.once('close', release);
    },
    open: () => total,
  };
}
