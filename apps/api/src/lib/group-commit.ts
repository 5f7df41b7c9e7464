export interface GroupCommit<T> {
  /** Resolves once the group holding `item` is written; rejects with that group's error. */
  add(item: T): Promise<void>;
  /** Waits until nothing is waiting or being written. */
  drain(): Promise<void>;
}

/**
 * Writes items in groups, like a database's group commit: the first item is written at once
 * (or after `delayMs`), and the items added while that write is under way go together in the
 * next one. Many jobs in flight then cost one round trip per group instead of one each,
 * without a timer adding latency when there is little to do.
 */
export function createGroupCommit<T>(write: (items: T[]) => Promise<void>, options: { delayMs?: number } = {}): GroupCommit<T> {
  interface Group {
    items: T[];
    waiters: { resolve: () => void; reject: (err: unknown) => void }[];
  }
  let next: Group | null = null;
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    // Items added in the same tick join the first group.
    await (options.delayMs ? new Promise((resolve) => setTimeout(resolve, options.delayMs)) : null);
    for (;;) {
      const group = next;
      if (!group) {
        flushing = null; // in the same tick as the check: a later add starts a new flush
        return;
      }
      next = null;
      try {
        await write(group.items);
        for (const waiter of group.waiters) waiter.resolve();
      } catch (err) {
        for (const waiter of group.waiters) waiter.reject(err);
      }
    }
  }

  return {
    add(item) {
      const group = (next ??= { items: [], waiters: [] });
      group.items.push(item);
      const written = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
      flushing ??= flush();
      return written;
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}
