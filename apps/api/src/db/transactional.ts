import { runInTransaction, type DbClient, type Tx } from './transaction.js';

/**
 * Adds `transaction(fn)` to a repo factory's result: `fn` gets the same repo bound to a
 * transaction, plus the transaction itself for other repos (e.g. the audit trail); and
 * `within(tx)`: the same repo in a transaction another service opened.
 */
export function transactional<R extends object>(db: DbClient, factory: (db: DbClient) => R) {
  return {
    ...factory(db),
    transaction: <T>(fn: (repo: R, tx: Tx) => Promise<T>): Promise<T> => runInTransaction(db, (tx) => fn(factory(tx), tx)),
    within: (tx: Tx): R => factory(tx),
  };
}
