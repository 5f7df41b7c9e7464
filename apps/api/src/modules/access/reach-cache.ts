import type { Reach } from './reach.js';

/** Users whose reach one process keeps; past it, the least recently used goes. */
export const REACH_CACHE_USERS = 5_000;

/**
 * Each user's reach as last read, with the access epoch it was read at. The epoch (a counter the
 * database moves whenever grants, memberships or the folder tree change, in the same transaction
 * as the change) is read on every request; a reach read at another epoch is read again. So a
 * change made by any process counts from the next request on, as if nothing were kept.
 *
 * Why reading the epoch before the reach is safe: a reach read after the epoch may only be newer
 * than the epoch says, never older, and a newer epoch on the next request replaces it.
 */
export function createReachCache(max = REACH_CACHE_USERS) {
  const entries = new Map<string, { epoch: bigint; reach: Reach }>();
  return {
    async reachOf(userId: string, epoch: () => Promise<bigint>, read: () => Promise<Reach>): Promise<Reach> {
      const now = await epoch();
      const kept = entries.get(userId);
      // Re-inserted on each use: Map keeps insertion order, so the first key is the least recently used.
      entries.delete(userId);
      if (kept && kept.epoch === now) {
        entries.set(userId, kept);
        return kept.reach;
      }
      const reach = await read();
      entries.set(userId, { epoch: now, reach });
      if (entries.size > max) entries.delete(entries.keys().next().value!);
      return reach;
    },
    /** The reach kept for the user and the epoch it stands for, if any (counts as a use). */
    kept(userId: string): { epoch: bigint; reach: Reach } | undefined {
      const kept = entries.get(userId);
      if (kept) {
        entries.delete(userId);
        entries.set(userId, kept);
      }
      return kept;
    },
    get size() {
      return entries.size;
    },
  };
}

export type ReachCache = ReturnType<typeof createReachCache>;
