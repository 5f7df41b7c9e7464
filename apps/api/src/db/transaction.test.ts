import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, type TestApi } from '../test/harness.js';
import { runInTransaction } from './transaction.js';

let pm: TestApi;
beforeAll(async () => {
  pm = await createTestApi();
});
afterAll(async () => {
  await pm?.close();
});

describe('runInTransaction', () => {
  it('opens a transaction on the root client', async () => {
    const inside = await runInTransaction(pm.db, async (tx) => (await tx.$queryRaw<{ open: boolean }[]>`SELECT now() = statement_timestamp() AS open`)[0]!.open);
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
});
