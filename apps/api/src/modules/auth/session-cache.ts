import type { SessionWithUser } from './auth.repo.js';

/**
 * Every API request resolves its session; this keeps a resolved session for a couple of
 * seconds so bursts of requests (a console page loads several lists) cost one lookup.
 * Ending sessions and changing users clear it in this process at once (after their commit);
 * another API process sees them within the TTL.
 */
export interface SessionCache {
  get(tokenHash: string): SessionWithUser | undefined;
  /** The current generation: take it before reading a session from the database, pass it to `set`. */
  version(): number;
  /** Keeps `session` unless the cache was invalidated since `readSince` (it may be a revoked one). */
  set(tokenHash: string, session: SessionWithUser, readSince: number): void;
  /** Forget everything (a session ended, a user was disabled or changed role). */
  invalidate(): void;
}

export function createSessionCache(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): SessionCache {
  const ttlMs = options.ttlMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { session: SessionWithUser; at: number }>();
  let generation = 0;
  return {
    get(tokenHash) {
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (now() - entry.at > ttlMs) {
        entries.delete(tokenHash);
        return undefined;
      }
      return entry.session;
    },
    version: () => generation,
    set(tokenHash, session, readSince) {
      if (readSince !== generation) return;
      if (entries.size >= maxEntries) entries.clear();
      entries.set(tokenHash, { session, at: now() });
    },
    invalidate() {
      generation += 1;
      entries.clear();
    },
  };
}

/** For tests and tools that must see every change at once. */
export const noSessionCache: SessionCache = { get: () => undefined, version: () => 0, set: () => undefined, invalidate: () => undefined };
