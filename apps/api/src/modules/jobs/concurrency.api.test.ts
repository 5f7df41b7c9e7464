import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Response } from 'supertest';
import { createTarget } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { runInTransaction } from '../../db/transaction.js';
import { systemContext } from '../../lib/actor.js';
import { createJobsRepo } from './jobs.repo.js';
import { produceResetSecret, storePendingResets } from './reset-request.js';
import { api as client, newPassword, newUser, registerAccount } from './jobs.test-util.js';
import { notRun } from './jobs-api.test-util.js';

// Racing requests on the same accounts: whatever order PostgreSQL serves them in, each gets an
// answer of its own (2xx, or a 4xx saying why) and none a 5xx. No worker runs here: checks and
// resets are only stored and queued, which is where requests meet each other's locks.

let pm: TestApi;
let admin: LoggedIn;
let alice: LoggedIn;
let bob: LoggedIn;
let targetId: string;

beforeAll(async () => {
  // As many connections as PassMan has by default, so as many requests as there run at once.
  pm = await createTestApi({ poolMax: 10 });
  [admin, alice, bob] = await Promise.all([loginAs(pm, 'admin'), loginAs(pm, 'operator'), loginAs(pm, 'operator')]);
  targetId = (await createTarget(pm)).id;
});
afterAll(async () => {
  await pm?.close();
});

async function accounts(count: number, policy?: { checkoutExclusive: boolean }): Promise<string[]> {
  const policyId = policy
    ? (
        await client(admin)
          .post('/policies', { name: newUser('p'), ...policy })
          .expect(201)
      ).body.id
    : undefined;
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = await registerAccount(admin, targetId, newUser(), newPassword());
    if (policyId) await client(admin).patch(`/accounts/${id}`, { policyId }).expect(200);
    ids.push(id);
  }
  return ids;
}

describe('lock order: concurrent checkout, check-in, check and reset on a few accounts', () => {
  it('40 mixed concurrent requests on 3 accounts, 5 rounds: no 5xx, and the audit chain still verifies', async () => {
    const ids = [...(await accounts(1, { checkoutExclusive: true })), ...(await accounts(2))];
    const reset = { credentialType: 'PASSWORD', generate: true, changeOnTarget: false, acknowledgeLossOfSync: true };
    const send = [
      (who: LoggedIn, id: string) => client(who).post(`/accounts/${id}/checkout`, { credentialType: 'PASSWORD' }),
      (who: LoggedIn, id: string) => client(who).post(`/accounts/${id}/checkin`),
      (who: LoggedIn, id: string) => client(who).post(`/accounts/${id}/check`),
      (who: LoggedIn, id: string) => client(who).post(`/accounts/${id}/reset`, reset),
    ];
    for (let round = 0; round < 5; round += 1) {
      // Each account checked out beforehand, so check-ins have something to return.
      for (const id of ids) await send[0]!(alice, id);
      const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => send[i % 4]!(i % 3 === 0 ? bob : alice, ids[Math.floor(i / 4) % ids.length]!)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      // Each answered for itself: some of every kind succeed, and every refusal is a problem with a code.
      expect(statuses.filter((s) => s < 300).length).toBeGreaterThanOrEqual(ids.length);
      for (const r of responses.filter((x) => x.status >= 400)) {
        expect(r.type).toBe('application/problem+json');
        expect(['CONFLICT', 'NOT_FOUND']).toContain(r.body.code);
      }
      for (const id of ids) await client(admin).post(`/accounts/${id}/checkin`);
    }
    const auditor = await loginAs(pm, 'auditor');
    const verified = await auditor.agent.get('/api/v1/audit/verify').expect(200);
    expect(verified.body.problems).toEqual([]);
  }, 120_000);
});

describe('an account deleted while a request on it is under way', () => {
  /**
   * Deletes the account in a transaction of another connection, lets `request` start, and commits
   * the delete only once the request waits for the row (the moment between its read and its write).
   */
  async function deletedUnder(accountIds: string[], request: () => Promise<Response>): Promise<Response> {
    const other = new pg.Client({ connectionString: pm.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('DELETE FROM accounts WHERE id = ANY($1::uuid[])', [accountIds]);
      const pid = (other as unknown as { processID: number }).processID;
      const pending = request();
      let answered: Response | undefined;
      void pending.then((r) => (answered = r));
      for (;;) {
        const { rows } = await other.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, [pid]);
        if (rows[0]!.n > 0 || answered) break;
      }
      await other.query('COMMIT');
      return await pending;
    } finally {
      await other.end();
    }
  }

  // Only this test's rows: other files write to the same tables at the same time.
  const snapshot = async (accountIds: string[]) => ({
    jobs: await pm.db.job.count({ where: { OR: [{ requestedById: alice.user.id }, { accountId: { in: accountIds } }] } }),
    batches: await pm.db.jobBatch.count({ where: { requestedById: alice.user.id } }),
    versions: await pm.db.credentialVersion.count({ where: { credential: { accountId: { in: accountIds } } } }),
    credentials: await pm.db.credential.count({ where: { accountId: { in: accountIds } } }),
  });

  it.each([
    ['check', (id: string) => client(alice).post(`/accounts/${id}/check`)],
    [
      'reset',
      (id: string) =>
        client(alice).post(`/accounts/${id}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: false, acknowledgeLossOfSync: true }),
    ],
    ['checkout', (id: string) => client(alice).post(`/accounts/${id}/checkout`, { credentialType: 'PASSWORD' })],
    ['add a credential', (id: string) => client(alice).post(`/accounts/${id}/credentials`, { type: 'PIN', generate: true })],
  ])('%s: 404 problem, nothing written, nothing audited', async (_name, send) => {
    const [accountId] = await accounts(1);
    const before = await snapshot([accountId!]);
    const auditBefore = await pm.db.auditEvent.count({ where: { actorId: alice.user.id } });
    const res = await deletedUnder([accountId!], () => send(accountId!));
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(res.type).toBe('application/problem+json');
    const after = await snapshot([accountId!]);
    // The delete removed the account's own credential; the request added nothing.
    expect(after).toEqual({ ...before, credentials: before.credentials - 1, versions: before.versions - 1 });
    expect(await pm.db.auditEvent.count({ where: { actorId: alice.user.id } })).toBe(auditBefore);
  });

  it.each(['CHECK', 'RESET'] as const)('bulk %s: 404 problem naming the account, no batch or job stored', async (kind) => {
    const [kept, deleted] = await accounts(2);
    const before = await snapshot([kept!, deleted!]);
    const body = {
      kind,
      accountIds: [kept, deleted],
      ...(kind === 'RESET' ? { reset: { credentialType: 'PASSWORD', changeOnTarget: false, acknowledgeLossOfSync: true } } : {}),
    };
    const res = await deletedUnder([deleted!], () => client(alice).post('/jobs/bulk', body));
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    expect(res.body.missing).toEqual([deleted]);
    const after = await snapshot([kept!, deleted!]);
    expect(after).toEqual({ ...before, credentials: before.credentials - 1, versions: before.versions - 1 });
  });

  it('a bulk reset whose account is deleted between two of its groups leaves it out: the batch total shrinks, no 5xx', async () => {
    const [kept, deleted] = await accounts(2);
    const request = { credentialType: 'PASSWORD' as const, generate: true as const, changeOnTarget: false, acknowledgeLossOfSync: true };
    const subjects = await createJobsRepo(pm.db).jobSubjects([kept!, deleted!]);
    const policy = await pm.services.policies.effective(null);
    const resets = await Promise.all(subjects.map((a) => produceResetSecret(a, request, policy)));
    const batch = await pm.db.jobBatch.create({ data: { kind: 'RESET', total: 2 } });
    // The account goes after the group's secrets were made, before its transaction stores them.
    await pm.db.account.delete({ where: { id: deleted! } });
    const stored = await runInTransaction(pm.db, (tx) =>
      storePendingResets({ ...pm.services, queue: notRun }, tx, systemContext('bulk-test'), {
        resets,
        request,
        batchId: batch.id,
        onBusy: 'fail-job',
      }),
    );
    expect(stored.jobIds).toHaveLength(1);
    expect(await pm.db.job.findMany({ where: { batchId: batch.id }, select: { accountId: true } })).toEqual([{ accountId: kept }]);
    expect((await pm.db.jobBatch.findUniqueOrThrow({ where: { id: batch.id } })).total).toBe(1);
  });
});
