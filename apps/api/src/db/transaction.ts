import { setTimeout as delay } from 'node:timers/promises';
import type { Database } from '@passman/db';
import { Prisma } from '@passman/db';
import { AppError } from '../lib/app-error.js';
import { isForeignKeyViolation, isRecordNotFound, isRetryableTransactionError } from './pg-errors.js';

export type Tx = Prisma.TransactionClient;
/** A Prisma client or a transaction of one; repos accept either. */
export type DbClient = Database | Tx;

/*
 * LOCK ORDER — every transaction takes its locks in this order, so two transactions never
 * wait for each other in a circle (a deadlock PostgreSQL would break by failing one of them):
 *
 *   1. row locks, parents before children:
 *        targets → accounts (several: in id order) → credentials and their versions → jobs
 *      A transaction that will change an account, or insert rows that refer to it, locks the
 *      account row first (`SELECT … FOR UPDATE`, or `FOR NO KEY UPDATE` / `FOR KEY SHARE` where
 *      that is all it needs), before anything that locks its children. Inserting a child takes a
 *      KEY SHARE lock on its parent; taking a stronger lock on that parent later in the same
 *      transaction would be a lock upgrade two transactions can deadlock on.
 *   2. the access epoch's row (`access_epoch`), which triggers lock when a statement changes
 *      grants, group memberships or the folder closure: write those after the object rows the
 *      transaction locks, so nobody waits for an object while holding the epoch.
 *   3. the audit chain's advisory lock LAST: audit events are appended at the end of the
 *      transaction (audit.record / recordMany after every other write), so nobody ever waits
 *      for a row while holding the chain, which every audited change needs.
 *
 * Places that take locks say "lock order: db/transaction.ts". A deadlock or serialization
 * failure that still happens (another process, a path not yet in order) is retried below.
 */

/** How many times a transaction that lost a deadlock or a serialization race runs again. */
export const TRANSACTION_RETRIES = 3;

/** A transaction client has `$transaction` too (it would open a savepoint), but not `$disconnect`. */
function isRootClient(db: DbClient): db is Database {
  return typeof (db as Database).$disconnect === 'function';
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one. A transaction of
 * its own that fails with a deadlock or serialization failure is run again from the start (it
 * was rolled back, so nothing of it remains), up to TRANSACTION_RETRIES times after a short
 * random pause; `fn` must therefore do nothing outside the database that cannot be repeated.
 * Inside a caller's transaction nothing is retried here: the error aborts the caller's, whose
 * own runInTransaction retries it as a whole.
 */
export async function runInTransaction<T>(db: DbClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!isRootClient(db)) return fn(db);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await db.$transaction(fn, { maxWait: 5_000, timeout: 15_000 });
    } catch (error) {
      if (!isRetryableTransactionError(error)) throw error;
      if (attempt >= TRANSACTION_RETRIES) {
        throw new AppError('UNAVAILABLE', 'The request collided with others too often; try again', { headers: { 'Retry-After': '1' }, cause: error });
      }
      // Random, growing pauses, so the transactions that collided do not collide again in step.
      await delay(Math.round((5 + Math.random() * 20) * 2 ** attempt));
    }
  }
}

/** Translates Prisma's constraint errors into AppErrors; rethrows anything else. */
export function mapConstraintError(error: unknown, what: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') throw new AppError('ALREADY_EXISTS', `${what} already exists`, { cause: error });
    if (error.code === 'P2025') throw new AppError('NOT_FOUND', `${what} not found`, { cause: error });
    if (error.code === 'P2003') throw new AppError('CONFLICT', `${what} refers to something that does not exist or is still in use`, { cause: error });
  }
  throw error;
}

/**
 * A write that referred to a row deleted meanwhile — a foreign key refusing an insert, or no row
 * left to update — answers 404 for `what`, not a 500. Told by codes (pg-errors.ts).
 */
export function mapVanishedRow(error: unknown, what: string): never {
  if (isForeignKeyViolation(error) || isRecordNotFound(error)) throw new AppError('NOT_FOUND', `${what} not found`, { cause: error });
  throw error;
}
