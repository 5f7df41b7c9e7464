import { randomBytes, randomUUID } from 'node:crypto';

/** A name no other test picks: tests share one database and keep apart by unique rows. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Eight hex characters, for names that must stay short or match a narrow pattern. */
export const suffix = () => randomBytes(4).toString('hex');

/**
 * An address from 198.18.0.0/16 (benchmarking range) — only ever a header value, never dialled.
 * Tests that get an address blocked use `attackerIp` (198.19.0.0/16) instead, so an ordinary
 * client of another test can never draw a blocked address.
 */
export function randomClientIp(): string {
  const b = randomBytes(2);
  return `198.18.${b[0]}.${1 + (b[1]! % 254)}`;
}

/** An address for a test that makes it blocked: never one `randomClientIp` gives. */
export function attackerIp(): string {
  const b = randomBytes(2);
  return `198.19.${b[0]}.${1 + (b[1]! % 254)}`;
}
