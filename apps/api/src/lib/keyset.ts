import { AppError } from './app-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/**
 * Keyset cursors for lists that can be sorted several ways. A cursor carries the list
 * (`scope`), the sort it was made for and the last row's sort key; a cursor of another
 * list or sort, or one whose key does not parse, is refused with INVALID_CURSOR before it
 * reaches SQL.
 */
export type KeyPart = (value: unknown) => value is string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const keyParts = {
  text: ((v) => typeof v === 'string' && v.length <= 1000) as KeyPart,
  uuid: ((v) => typeof v === 'string' && UUID.test(v)) as KeyPart,
  timestamp: ((v) => typeof v === 'string' && ISO.test(v) && !Number.isNaN(Date.parse(v))) as KeyPart,
  /** A timestamp, or `-infinity` standing for NULL (sorts before every time). */
  timestampOrMinusInfinity: ((v) => v === '-infinity' || keyParts.timestamp(v)) as KeyPart,
  oneOf: (values: readonly string[]): KeyPart => ((v) => typeof v === 'string' && values.includes(v)) as KeyPart,
};

export function encodeKeyset(scope: string, sort: string, key: string[]): string {
  return encodeCursor([`${scope}:${sort}`, ...key]);
}

export function decodeKeyset(scope: string, sort: string, cursor: string, parts: readonly KeyPart[]): string[] {
  const [tag, ...key] = decodeCursor(cursor, parts.length + 1);
  if (tag !== `${scope}:${sort}` || !parts.every((valid, i) => valid(key[i]))) {
    throw new AppError('INVALID_CURSOR', `The cursor does not belong to this list sorted by ${sort}; start again without it`);
  }
  return key as string[];
}
