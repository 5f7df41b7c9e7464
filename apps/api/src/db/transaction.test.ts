import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApi, type TestApi } from '../test/harness.js';
import { AppError } from '../lib/app-error.js';
import { isRetryableTransactionError } from './pg-errors.js';
import { runInTransaction, TRANSACTION_RETRIES } from './transaction.js';

let pm: TestApi;
// A schema of this file's own: two rows to lock in opposite orders (public holds PassMan's tables only).
const schema = `txtest_${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  pm = await createTestApi();
  await pm.db.$executeRawUnsafe(`CREATE SCHEMA ${schema}`);
  await pm.db.$executeRawUnsafe(`CREATE TABLE ${schema}.pair (id int PRIMARY KEY, v int NOT NULL)`);
});
afterAll(async () => {
  await pm?.db.$executeRawUnsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pm?.close();
});

async function rawClient(): Promise<pg.Client & { processID: number }> {
  const client = new pg.Client({ connectionString: pm.databaseUrl });
  await client.connect();
  return client as pg.Client & { processID: number };
}

/** Resolves once the backend `pid` waits for a lock (polls the server's own view of it). */
async function untilWaitingForLock(pid: number): Promise<void> {
  for (;;) {
    const [row] = await pm.db.$queryRaw<{ waiting: boolean }[]>`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = ${pid}`;
    if (row?.waiting) return;
  }
}

describe('runInTransaction', () => {
  it('opens a transaction on the root client', async () => {
    const inside = await runInTransaction(
      pm.db,
      async (tx) => (await tx.$queryRaw<{ open: boolean }[]>`SELECT now() = statement_timestamp() AS open`)[0]!.open,
    );
    expect(inside).toBe(false); // inside a transaction, now() is its start, not this statement's
  });

  it("joins the caller's transaction instead of nesting a savepoint in it", async () => {
    await pm.db.$transaction(async (tx) => {
      let given: unknown;
      await runInTransaction(tx, async (inner) => {
        given = inner;
      });
      expect(given).toBe(tx);
    });
  });

  it('runs the whole transaction again after a real deadlock, and it then commits', async () => {
    await pm.db.$executeRawUnsafe(`INSERT INTO ${schema}.pair VALUES (1, 0), (2, 0) ON CONFLICT (id) DO UPDATE SET v = 0`);
    const other = await rawClient();
    try {
      // The other connection holds row 2 and will ask for row 1; this transaction holds row 1 and asks for row 2.
      await other.query('BEGIN');
      await other.query(`SET LOCAL deadlock_timeout = '30s'`); // so PostgreSQL picks this transaction as the victim
      await other.query(`UPDATE ${schema}.pair SET v = v + 10 WHERE id = 2`);
      let attempts = 0;
      let otherDone: Promise<unknown> | undefined;
      const result = await runInTransaction(pm.db, async (tx) => {
        attempts += 1;
        await tx.$executeRawUnsafe(`SET LOCAL deadlock_timeout = '50ms'`);
        await tx.$executeRawUnsafe(`UPDATE ${schema}.pair SET v = v + 1 WHERE id = 1`);
        if (attempts === 1) {
          otherDone = other.query(`UPDATE ${schema}.pair SET v = v + 10 WHERE id = 1`).then(() => other.query('COMMIT'));
          await untilWaitingForLock(other.processID);
        }
        await tx.$executeRawUnsafe(`UPDATE ${schema}.pair SET v = v + 1 WHERE id = 2`);
        return 'committed';
      });
      await otherDone;
      expect(result).toBe('committed');
      expect(attempts).toBe(2);
      // Both transactions' changes are there once each: the first attempt left nothing behind.
      const rows = await pm.db.$queryRawUnsafe<{ id: number; v: number }[]>(`SELECT id, v FROM ${schema}.pair ORDER BY id`);
      expect(rows).toEqual([
        { id: 1, v: 11 },
        { id: 2, v: 11 },
      ]);
    } finally {
      await other.end();
    }
  });

  it('gives up after a bounded number of retries with a 503 problem, not the raw error', async () => {
    let attempts = 0;
    const failing = runInTransaction(pm.db, async (tx) => {
      attempts += 1;
      // A real serialization failure raised by PostgreSQL on every attempt.
      await tx.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001'; END $$`);
    });
    const error = await failing.catch((e: unknown) => e);
    expect(attempts).toBe(1 + TRANSACTION_RETRIES);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('UNAVAILABLE');
    expect((error as AppError).options.headers).toMatchObject({ 'Retry-After': expect.any(String) });
  });

  it('never retries other errors', async () => {
    let attempts = 0;
    const error = await runInTransaction(pm.db, async (tx) => {
      attempts += 1;
      await tx.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'boom' USING ERRCODE = '23505'; END $$`);
    }).catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect(isRetryableTransactionError(error)).toBe(false);
    const appError = await runInTransaction(pm.db, async () => {
      attempts += 1;
      throw new AppError('CONFLICT', 'not a database error');
    }).catch((e: unknown) => e);
    expect(attempts).toBe(2);
    expect((appError as AppError).code).toBe('CONFLICT');
  });

  it("does not retry inside a caller's transaction: the caller's own runInTransaction does", async () => {
    let inner = 0;
    let outer = 0;
    await runInTransaction(pm.db, async (tx) => {
      outer += 1;
      await runInTransaction(tx, async (t) => {
        inner += 1;
        if (outer === 1) await t.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '40P01'; END $$`);
      });
    });
    expect([outer, inner]).toEqual([2, 2]);
  });
});
