import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestApi, createUser, loginAs, type TestApi } from '../../test/harness.js';
import { createEmptyDatabase, dropDatabase } from '../../../../../packages/testkit/src/db/test-database.js';
import { migrate, createPrismaClient } from '@passman/db';
import { createAuditService } from './audit.service.js';
import { systemContext } from '../auth/actor.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('GET /audit', () => {
  it('lists events newest first with filters, for auditors but not operators', async () => {
    const user = await createUser(api);
    await api.request().post('/api/v1/auth/login').send({ username: user.username, password: 'wrong-password!' }).expect(401);
    await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
    const auditor = await loginAs(api, 'auditor');
    const res = await auditor.agent.get('/api/v1/audit').query({ action: 'auth.login', objectId: user.id }).expect(200);
    expect(res.body.items.map((e: { outcome: string }) => e.outcome)).toEqual(['success', 'failure']);
    expect(res.body.items[0]).toMatchObject({ actorId: user.id, actorName: user.username, objectType: 'user', requestId: expect.any(String) });
    const failures = await auditor.agent.get('/api/v1/audit').query({ objectId: user.id, outcome: 'failure' }).expect(200);
    expect(failures.body.items).toHaveLength(1);
    const operator = await loginAs(api, 'operator');
    await operator.agent.get('/api/v1/audit').expect(403);
    await api.request().get('/api/v1/audit').expect(401);
  });

  it('pages backwards through the trail with a cursor', async () => {
    const auditor = await loginAs(api, 'auditor');
    const first = await auditor.agent.get('/api/v1/audit?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await auditor.agent.get('/api/v1/audit').query({ limit: 2, cursor: first.body.nextCursor }).expect(200);
    expect(BigInt(second.body.items[0].seq)).toBeLessThan(BigInt(first.body.items[1].seq));
  });
});

describe('audit hash chain', () => {
  // Tampering needs its own database: the chain of the shared one must stay intact for other tests.
  const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;

  async function chainOf(n: number) {
    const url = await createEmptyDatabase(adminUrl(), 'passman_audit');
    await migrate(url);
    const db = createPrismaClient(url, { max: 2 });
    const audit = createAuditService({ db });
    for (let i = 0; i < n; i += 1) {
      await audit.record(systemContext(`req-${i}`), { action: 'test.event', objectType: 'thing', objectId: String(i), details: { i, nested: { b: 1, a: [2, 3] } } });
    }
    const sql = async (text: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // The table refuses UPDATE and DELETE by trigger; a tamperer with DBA rights disables it first.
        await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
        await client.query(text);
      } finally {
        await client.end();
      }
    };
    return { audit, sql, close: async () => { await db.$disconnect(); await dropDatabase(adminUrl(), url); } };
  }

  it('verifies an untouched chain', async () => {
    const chain = await chainOf(5);
    try {
      expect(await chain.audit.verify()).toEqual({ ok: true, checked: 5, problems: [] });
    } finally {
      await chain.close();
    }
  });

  it('reports an edited row', async () => {
    const chain = await chainOf(5);
    try {
      await chain.sql(`UPDATE audit_events SET details = '{"i": 99}' WHERE object_id = '2'`);
      const result = await chain.audit.verify();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([{ seq: expect.any(String), kind: 'edited' }]);
    } finally {
      await chain.close();
    }
  });

  it('reports a deleted row as a broken link at its successor', async () => {
    const chain = await chainOf(5);
    try {
      await chain.sql(`DELETE FROM audit_events WHERE object_id = '1'`);
      const result = await chain.audit.verify();
      expect(result.ok).toBe(false);
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]!.kind).toBe('broken-link');
    } finally {
      await chain.close();
    }
  });

  it('refuses UPDATE and DELETE through the database itself', async () => {
    const client = new pg.Client({ connectionString: process.env.PASSMAN_TEST_DATABASE_URL });
    await client.connect();
    try {
      await expect(client.query(`UPDATE audit_events SET outcome = 'success' WHERE false OR true`)).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it('GET /audit/verify answers for the live chain, with concurrent writers', async () => {
    await Promise.all(Array.from({ length: 10 }, () => createUser(api).then((u) => api.request().post('/api/v1/auth/login').send({ username: u.username, password: 'nope-nope-nope' }))));
    const auditor = await loginAs(api, 'auditor');
    const res = await auditor.agent.get('/api/v1/audit/verify').expect(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.checked).toBeGreaterThan(10);
  });
});
