import type { Database } from '@passman/db';
import { Prisma } from '@passman/db';
import { AppError } from '../lib/app-error.js';

export type Tx = Prisma.TransactionClient;
/** A Prisma client or a transaction of one; repos accept either. */
export type DbClient = Database | Tx;

/** A transaction client has `$transaction` too (it would open a savepoint), but not `$disconnect`. */
function isRootClient(db: DbClient): db is Database {
  return typeof (db as Database).$disconnect === 'function';
}

/** Runs `fn` in a transaction, or inside the caller's when `db` already is one. */
export function runInTransaction<T>(db: DbClient, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return isRootClient(db) ? db.$transaction(fn, { maxWait: 5_000, timeout: 15_000 }) : fn(db);
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
