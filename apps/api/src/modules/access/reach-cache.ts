import type { Reach } from './reach.js';

/** Users whose reach one process keeps; past it, the least recently used goes. */
export const REACH_CACHE_USERS = 5_000;

/**
 * Object ids the kept reaches may hold in all (a folder grant counts every folder below it, per
 * action): about 250 bytes each with their maps, so at most ≈ 50 MB however wide the grants.
 * Past it, the least recently used go; a reach larger than this alone is used and not kept.
 */
export const REACH_CACHE_IDS = 200_000;

/**
 * Each user's reach as last read, with the access epoch it was read at. The epoch (a value the
 * database moves whenever grants, memberships or the folder tree change, in the same transaction
 * as the change) is read on every request; a reach read at another epoch is read again. So a
 * change made by any process counts from the next request on, as if nothing were kept.
 *
 * Why reading the epoch before the reach is safe: a reach read after the epoch may only be newer
 * than the epoch says, never older, and a newer epoch on the next request replaces it.
 */
export function createReachCache(maxUsers = REACH_CACHE_USERS, maxIds = REACH_CACHE_IDS) {
  const entries = new Map<string, { epoch: bigint; reach: Reach }>();
  let ids = 0;
  const forget = (userId: string) => {
    const kept = entries.get(userId);
    if (!kept) return;
    entries.delete(userId);
    ids -= kept.reach.size;
  };
  /** The user's entry, made the most recently used (a Map keeps insertion order: the first key is the least recently used). */
  const touch = (userId: string) => {
    const kept = entries.get(userId);
    if (kept) {
      entries.delete(userId);
      entries.set(userId, kept);
    }
    return kept;
  };
  const keep = (userId: string, epoch: bigint, reach: Reach) => {
    // Replaces what it held for the user: a stale reach, or one another request kept meanwhile.
    forget(userId);
    if (reach.size > maxIds) return;
    entries.set(userId, { epoch, reach });
    ids += reach.size;
    while (entries.size > 0 && (entries.size > maxUsers || ids > maxIds)) forget(entries.keys().next().value!);
  };
  return {
    async reachOf(userId: string, epoch: () => Promise<bigint>, read: () => Promise<Reach>): Promise<Reach> {
      const now = await epoch();
      const kept = touch(userId);
      if (kept?.epoch === now) return kept.reach;
      const reach = await read();
      keep(userId, now, reach);
      return reach;
    },
    /** The reach kept for the user and the epoch it stands for, if any (counts as a use). */
    kept: touch,
    get size() {
      return entries.size;
    },
    /** How many object ids the kept reaches hold. */
    get idCount() {
      return ids;
    },
  };
}

export type ReachCache = ReturnType<typeof createReachCache>;
