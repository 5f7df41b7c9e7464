/**
 * Unbiased random choices from crypto randomness.
 *
 * `byte % n` over-represents the first 256 % n values (e.g. 68 of 94 symbols would
 * come up 3/256 instead of 2/256 of the time), so bytes at or above the largest
 * multiple of n are rejected and redrawn. Random bytes are drawn in small batches
 * held only by one sampler, which wipes them when the caller is done.
 */
import { randomBytes, randomInt } from 'node:crypto';

const BATCH = 64;

export interface RandomSampler {
  /** A uniformly random integer in [0, n). */
  index(n: number): number;
  /** Fisher–Yates shuffle in place, every permutation equally likely. */
  shuffle<T>(items: T[]): T[];
  /** Zeroes the unused random bytes. */
  wipe(): void;
}

export function createRandomSampler(): RandomSampler {
  let batch = Buffer.alloc(0);
  let next = 0;

  function byte(): number {
    if (next >= batch.length) {
      batch.fill(0);
      batch = randomBytes(BATCH);
      next = 0;
    }
    const value = batch[next] as number;
    batch[next] = 0;
    next += 1;
    return value;
  }

  function index(n: number): number {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
    if (n > 256) return randomInt(n); // node's randomInt also rejects out-of-range draws
    const limit = 256 - (256 % n);
    for (;;) {
      const b = byte();
      if (b < limit) return b % n;
    }
  }

  return {
    index,
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = index(i + 1);
        const tmp = items[i] as (typeof items)[number];
        items[i] = items[j] as (typeof items)[number];
        items[j] = tmp;
      }
      return items;
    },
    wipe() {
      batch.fill(0);
      next = batch.length;
    },
  };
}
