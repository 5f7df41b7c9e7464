/**
 * What kind of PostgreSQL failure an error is, told by codes only (never by message text).
 * The same failure reaches us in several wrappings: node-postgres' error (`code` = SQLSTATE),
 * the pg driver adapter's (`kind`, `originalCode`, under `meta.driverAdapterError` and its
 * `cause`), and Prisma's (`code` = Pxxxx; P2010 for raw queries, which keeps the adapter's
 * error in `meta`). We walk that chain and look for any code that says what we ask.
 */

export interface ErrorShape {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

/** Whether any layer of the error (itself, its causes, the adapter's error under `meta`) passes `test`. */
export function someLayer(error: unknown, test: (layer: ErrorShape) => boolean): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 8) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const layer = e as ErrorShape;
    if (test(layer)) return true;
    queue.push(layer.cause, layer.meta?.driverAdapterError);
  }
  return false;
}

/** serialization_failure and deadlock_detected: the transaction lost a race and may simply run again. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** A serialization failure or a deadlock (SQLSTATE 40001/40P01, Prisma P2034, the adapter's TransactionWriteConflict). */
export function isRetryableTransactionError(error: unknown): boolean {
  return someLayer(
    error,
    ({ code, kind, originalCode }) =>
      (typeof code === 'string' && (RETRYABLE_SQLSTATES.has(code) || code === 'P2034')) ||
      kind === 'TransactionWriteConflict' ||
      (typeof originalCode === 'string' && RETRYABLE_SQLSTATES.has(originalCode)),
  );
}

/** A foreign key refused the write: the row referred to does not exist (any more). */
export function isForeignKeyViolation(error: unknown): boolean {
  return someLayer(
    error,
    ({ code, kind, originalCode }) => code === '23503' || code === 'P2003' || kind === 'ForeignKeyConstraintViolation' || originalCode === '23503',
  );
}

/** Prisma found no row for an update or delete by key (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return someLayer(error, ({ code }) => code === 'P2025');
}

/**
 * SQLSTATEs PassMan's own triggers raise (class PM, which PostgreSQL leaves unused): a folder
 * moved into itself or below itself, and the root moved or a second root made.
 */
export const PASSMAN_SQLSTATES = { folderCycle: 'PM001', folderRootMove: 'PM002' } as const;

/** The error carries this SQLSTATE at some layer. */
export function hasSqlState(error: unknown, sqlState: string): boolean {
  return someLayer(error, ({ code, originalCode }) => code === sqlState || originalCode === sqlState);
}
