import { AppError } from './app-error.js';

/**
 * Opaque keyset cursors: base64url JSON of the last row's sort key. A cursor is only a
 * position, so rows inserted between pages never shift or repeat what the client sees.
 */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity) return key;
  } catch {
    // fall through
  }
  throw new AppError('INVALID_CURSOR', 'The cursor is not one this list returned; start again without it');
}
