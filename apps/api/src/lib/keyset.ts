import { isSingleLineText, MAX_TIMESTAMP_YEAR, MIN_TIMESTAMP_YEAR, withoutBidiControls } from '@passman/contracts';
import { AppError } from './app-error.js';

/**
 * Opaque keyset cursors: base64url JSON of the list (`scope`), the sort it was made for and
 * the last row's sort key. A cursor is only a position, so rows inserted between pages never
 * shift or repeat what the client sees. A cursor of another list or sort, or one whose key
 * parts do not each pass their check, is refused with INVALID_CURSOR before it reaches SQL:
 * a client can forge any bytes, and NUL, a date PostgreSQL cannot hold or a number BigInt
 * cannot parse would otherwise fail there.
 */
export type KeyPart = (value: unknown) => value is string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const POSITIVE_BIGINT = /^[1-9]\d{0,18}$/;
const MAX_BIGINT = 2n ** 63n - 1n;

const isTimestamp = (v: unknown): v is string => {
  if (typeof v !== 'string' || !ISO.test(v)) return false;
  const date = new Date(v);
  // toISOString round-trips only real dates (no 2026-02-30).
  return (
    !Number.isNaN(date.getTime()) && date.toISOString() === v && date.getUTCFullYear() >= MIN_TIMESTAMP_YEAR && date.getUTCFullYear() <= MAX_TIMESTAMP_YEAR
  );
};

export const keyParts = {
  // A name stored before bidirectional controls were refused may still hold them, and so its cursor.
  text: ((v) => typeof v === 'string' && v.length <= 1000 && isSingleLineText(withoutBidiControls(v))) as KeyPart,
  uuid: ((v) => typeof v === 'string' && UUID.test(v)) as KeyPart,
  timestamp: isTimestamp as KeyPart,
  /** A timestamp, or `-infinity` standing for NULL (sorts before every time). */
  timestampOrMinusInfinity: ((v) => v === '-infinity' || isTimestamp(v)) as KeyPart,
  /** A PostgreSQL bigint above zero, as a decimal string. */
  positiveBigint: ((v) => typeof v === 'string' && POSITIVE_BIGINT.test(v) && BigInt(v) <= MAX_BIGINT) as KeyPart,
  oneOf: (values: readonly string[]): KeyPart => ((v) => typeof v === 'string' && values.includes(v)) as KeyPart,
};

export function encodeKeyset(scope: string, sort: string, key: string[]): string {
  return Buffer.from(JSON.stringify([`${scope}:${sort}`, ...key])).toString('base64url');
}

const invalid = (detail: string) => new AppError('INVALID_CURSOR', `${detail}; start again without it`);

export function decodeKeyset(scope: string, sort: string, cursor: string, parts: readonly KeyPart[]): string[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('The cursor is not one this list returned');
  }
  if (!Array.isArray(decoded) || decoded.length !== parts.length + 1) throw invalid('The cursor is not one this list returned');
  const [tag, ...key] = decoded as unknown[];
  if (tag !== `${scope}:${sort}` || !parts.every((valid, i) => valid(key[i]))) {
    throw invalid(`The cursor does not belong to this list sorted by ${sort}`);
  }
  return key as string[];
}
