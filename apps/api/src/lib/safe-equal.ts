import { timingSafeEqual } from 'node:crypto';

/** String equality in constant time for equal lengths: compares tokens without leaking where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
