import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConnectorError } from '@passman/connectors';
import { createPrismaClient, type Database } from '@passman/db';
import { startTcpRelay, type TcpRelay } from '@passman/testkit';
import { createTestApi, loginAs, type TestApi } from '../test/harness.js';
import { waitUntil } from '../test/wait-until.js';
import { isDatabaseUnavailable } from './database-unavailable.js';

// Real errors from Prisma on the pg adapter, from a PostgreSQL reached through a TCP relay
// that a test can cut: the outage must be told from the job's own faults by codes.

let pm: TestApi;
let link: TcpRelay;
let db: Database;

beforeAll(async () => {
  pm = await createTestApi();
  const url = new URL(pm.databaseUrl);
  link = await startTcpRelay({ host: url.hostname, port: Number(url.port || 5432) });
  url.hostname = link.host;
  url.port = String(link.port);
  db = createPrismaClient(url.toString(), { connectionTimeoutMillis: 2_000 });
});
afterAll(async () => {
  await db?.$disconnect();
  await link?.close();
  await pm?.close();
});

async function errorOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the query to fail');
}

/** Resolves once PostgreSQL runs the query tagged `marker` (seen from another connection). */
function untilRunning(marker: string): Promise<void> {
  return waitUntil(async () => {
    const rows = await pm.db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE ${`%${marker}%`} AND pid <> pg_backend_pid()`;
    return rows[0]!.n > 0;
  }, `the query ${marker} runs`);
}

describe('isDatabaseUnavailable', () => {
  it('PostgreSQL refusing connections: model queries, raw queries and transactions', async () => {
    await link.pause();
    try {
      expect(isDatabaseUnavailable(await errorOf(db.user.findFirst()))).toBe(true);
      expect(isDatabaseUnavailable(await errorOf(db.$queryRaw`SELECT 1`))).toBe(true);
      expect(isDatabaseUnavailable(await errorOf(db.$transaction(async (tx) => tx.user.count())))).toBe(true);
    } finally {
      await link.resume();
    }
  });

  it('the connection cut in the middle of a query', async () => {
    const query = errorOf(db.$queryRaw`SELECT pg_sleep(5) AS passman_cut_me`);
    await untilRunning('passman_cut_me');
    await link.pause();
    await link.resume();
    expect(isDatabaseUnavailable(await query)).toBe(true);
  });

  it('the server terminating the session (57P01, as in a shutdown)', async () => {
    const query = errorOf(db.$queryRaw`SELECT pg_sleep(5) AS passman_terminate_me`);
    await untilRunning('passman_terminate_me');
    await pm.db.$queryRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%passman_terminate_me%' AND pid <> pg_backend_pid()`;
    expect(isDatabaseUnavailable(await query)).toBe(true);
  });

  it("not for the job's own faults: bad SQL, a constraint, an unreachable target", async () => {
    expect(isDatabaseUnavailable(await errorOf(db.$queryRaw`SELECT * FROM no_such_table`))).toBe(false);
    expect(isDatabaseUnavailable(await errorOf(db.$executeRaw`SELECT 1/0`))).toBe(false);
    const orphan = { username: `orphan-${Date.now()}`, displayName: 'orphan', passwordHash: 'x', roleName: 'no-such-role' };
    expect(isDatabaseUnavailable(await errorOf(db.user.create({ data: orphan })))).toBe(false);
    expect(isDatabaseUnavailable(new ConnectorError('UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:22'))).toBe(false);
  });
});

describe('the API while PostgreSQL is unreachable', () => {
  it('answers 503 problem+json with Retry-After (never a 500), and serves again once it is back', async () => {
    // An API of its own whose every connection (queries, queue, notifications) goes through the relay.
    const url = new URL(pm.databaseUrl);
    url.hostname = link.host;
    url.port = String(link.port);
    const cut = await createTestApi({ databaseUrl: url.toString() });
    try {
      const operator = await loginAs(cut, 'operator');
      await operator.agent.get('/api/v1/targets').expect(200);
      await link.pause();
      const down = await operator.agent.get('/api/v1/targets').expect(503);
      expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(down.headers['retry-after']).toBe('5');
      expect(down.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(cut.logLines.join('')).not.toMatch(/unhandled error/);
      await link.resume();
      await operator.agent.get('/api/v1/targets').expect(200);
    } finally {
      await link.resume();
      await cut.close();
    }
  });
});
