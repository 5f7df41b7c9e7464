import type { SessionWithUser } from './auth.repo.js';

/**
 * Every API request resolves its session; this keeps a resolved session for a couple of
 * seconds so bursts of requests (a console page loads several lists) cost one lookup.
 * Logout and changes to users clear it in this process at once; another API process sees
 * them within the TTL.
 */
export interface SessionCache {
  get(tokenHash: string): SessionWithUser | undefined;
  set(tokenHash: string, session: SessionWithUser): void;
  /** Forget everything (a session ended, a user was disabled or changed role). */
  invalidate(): void;
}

export function createSessionCache(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): SessionCache {
  const ttlMs = options.ttlMs ?? 2_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { session: SessionWithUser; at: number }>();
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
    set(tokenHash, session) {
      if (entries.size >= maxEntries) entries.clear();
      entries.set(tokenHash, { session, at: now() });
    },
    invalidate() {
      entries.clear();
    },
  };
}

/** For tests and tools that must see every change at once. */
export const noSessionCache: SessionCache = { get: () => undefined, set: () => undefined, invalidate: () => undefined };
