import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createMigratedDatabase, dropDatabase } from '@passman/testkit';
import { createTestApi, createUser, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { systemContext } from '../../lib/actor.js';

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

  it('stores an event whose text PostgreSQL could not hold (NUL, lone surrogates) with U+FFFD instead of failing it', async () => {
    const marker = randomBytes(4).toString('hex');
    await api.services.audit.record(systemContext(`req-${marker}`), {
      action: 'test.odd-text',
      objectType: 'thing',
      objectId: marker,
      actorName: 'name\u0000with-nul',
      details: { 'key\u0000': 'lone \ud800 high', nested: ['low \udc00 alone', 'pair \ud83d\ude00 kept'] },
    });
    const row = await api.db.auditEvent.findFirstOrThrow({ where: { objectId: marker } });
    expect(row.actorName).toBe('name\uFFFDwith-nul');
    expect(row.details).toEqual({ 'key\uFFFD': 'lone \uFFFD high', nested: ['low \uFFFD alone', 'pair \ud83d\ude00 kept'] });
  });
});

describe('the database refuses to change the trail', () => {
  // Each statement runs in a transaction rolled back afterwards: this is the run's shared trail.
  async function refused(statement: string): Promise<string> {
    const client = new pg.Client({ connectionString: process.env.PASSMAN_TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query('BEGIN');
      // Row triggers fire only for rows there are: give the statement a checkpoint to change (inserting is allowed).
      await client.query(`INSERT INTO audit_checkpoints (seq, count, hash, at, mac) VALUES (0, 0, 'h', now(), 'm')`).catch(() => undefined);
      return await client.query(statement).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    } finally {
      await client.query('ROLLBACK');
      await client.end();
    }
  }

  it.each([
    `UPDATE audit_events SET outcome = 'success' WHERE true`,
    'DELETE FROM audit_events',
    'TRUNCATE audit_events',
    `UPDATE audit_checkpoints SET hash = 'x' WHERE true`,
    'DELETE FROM audit_checkpoints',
    'TRUNCATE audit_checkpoints',
    'DELETE FROM audit_head',
    'TRUNCATE audit_head',
  ])('%s', async (statement) => {
    expect(await refused(statement)).toMatch(/is append-only/);
  });
});

/**
 * A trail in a database of its own (tampering must not touch the run's shared one): `n` events
 * written by PassMan, an auditor logged in beforehand (so verifying adds nothing), and `sql` to
 * tamper through a raw connection as a DBA would — with the append-only triggers disabled first.
 */
async function trail(n: number) {
  const adminUrl = process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
  const url = await createMigratedDatabase(adminUrl, 'passman_audit');
  const pm = await createTestApi({ databaseUrl: url });
  const auditor: LoggedIn = await loginAs(pm, 'auditor');
  for (let i = 0; i < n; i += 1) {
    await pm.services.audit.record(systemContext(`req-${i}`), {
      action: 'test.event',
      objectType: 'thing',
      objectId: `obj-${i}`,
      details: { i, nested: { b: 1, a: [2, 3] } },
    });
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows: tables } = await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'audit_%'`);
  for (const { t } of tables) await client.query(`ALTER TABLE ${t} DISABLE TRIGGER USER`);
  return {
    pm,
    sql: <R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]) => client.query<R>(text, values).then((r) => r.rows),
    seqOf: async (objectId: string) =>
      (await client.query<{ seq: string }>('SELECT seq::text FROM audit_events WHERE object_id = $1', [objectId])).rows[0]!.seq,
    verify: async () => (await auditor.agent.get('/api/v1/audit/verify').expect(200)).body,
    close: async () => {
      await client.end();
      await pm.close();
      await dropDatabase(adminUrl, url);
    },
  };
}
type Trail = Awaited<ReturnType<typeof trail>>;

async function withTrail(n: number, test: (t: Trail) => Promise<void>) {
  const t = await trail(n);
  try {
    await test(t);
  } finally {
    await t.close();
  }
}

interface RawRow {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_name: string;
  action: string;
  object_type: string;
  object_id: string | null;
  outcome: string;
  request_id: string | null;
  ip: string | null;
  details: unknown;
  prev_hash: string;
}

/** What a forger computes: the row's hash over the previous hash and its content, with plain SHA-256 (key null) or HMAC under a key. */
function forgedHash(key: Buffer | null, prevHash: string, r: RawRow): string {
  const content = canonicalJson({
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    outcome: r.outcome,
    requestId: r.request_id,
    ip: r.ip,
    details: r.details,
  });
  const mac = key ? createHmac('sha256', key) : createHash('sha256');
  return mac.update(prevHash).update('\n').update(content).digest('hex');
}

/** Rewrites every row from `fromSeq` on as a forger would: its content changed by `edit`, hashes recomputed so the links hold. */
async function rewriteFrom(t: Trail, fromSeq: string, key: Buffer | null, edit: (r: RawRow) => void, macVersion?: number) {
  const rows = await t.sql<RawRow>(
    'SELECT seq::text, at, actor_id::text, actor_name, action, object_type, object_id, outcome, request_id, ip, details, prev_hash FROM audit_events WHERE seq >= $1 ORDER BY seq',
    [fromSeq],
  );
  let prev = rows[0]!.prev_hash;
  for (const r of rows) {
    if (r.seq === fromSeq) edit(r);
    const hash = forgedHash(key, prev, r);
    await t.sql(
      `UPDATE audit_events SET details = $1, prev_hash = $2, hash = $3${macVersion === undefined ? '' : `, mac_version = ${macVersion}`} WHERE seq = $4`,
      [JSON.stringify(r.details), prev, hash, r.seq],
    );
    prev = hash;
  }
}

describe('GET /audit/verify: tampering with database access alone is detected', () => {
  it('an untouched trail verifies, against its signed head', async () => {
    await withTrail(5, async (t) => {
      const result = await t.verify();
      const [{ n }] = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_events')) as [{ n: number }];
      expect(result).toMatchObject({ ok: true, checked: n, problems: [], firstBrokenSeq: null });
      expect(result.head).toMatchObject({ count: n });
    });
  });

  it('an edited row is named', async () => {
    await withTrail(5, async (t) => {
      const seq = await t.seqOf('obj-2');
      await t.sql(`UPDATE audit_events SET details = '{"i": 99}' WHERE seq = $1`, [seq]);
      const result = await t.verify();
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: seq });
      expect(result.problems).toEqual([expect.objectContaining({ seq, kind: 'edited' })]);
    });
  });

  it('a deleted row in the middle breaks the link at its successor', async () => {
    await withTrail(5, async (t) => {
      const [deleted, successor] = [await t.seqOf('obj-1'), await t.seqOf('obj-2')];
      await t.sql('DELETE FROM audit_events WHERE seq = $1', [deleted]);
      const result = await t.verify();
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: successor });
      expect(result.problems).toContainEqual(expect.objectContaining({ seq: successor, kind: 'broken-link' }));
    });
  });

  it('deleting the newest rows is detected against the head, naming the first one missing', async () => {
    await withTrail(5, async (t) => {
      const firstGone = await t.seqOf('obj-3');
      await t.sql('DELETE FROM audit_events WHERE seq >= $1', [firstGone]);
      const result = await t.verify();
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: firstGone });
      expect(result.problems.map((p: { kind: string }) => p.kind)).toEqual(['head-mismatch']);
    });
  });

  it('TRUNCATE is detected (it no longer passes as an empty trail)', async () => {
    await withTrail(5, async (t) => {
      await t.sql('TRUNCATE audit_events');
      const result = await t.verify();
      expect(result).toMatchObject({ ok: false, checked: 0, firstBrokenSeq: '1' });
      expect(result.problems).toEqual([expect.objectContaining({ kind: 'head-mismatch' })]);
    });
  });

  it('a row edited and the rest re-hashed with plain SHA-256 (unkeyed) is detected', async () => {
    await withTrail(5, async (t) => {
      const seq = await t.seqOf('obj-2');
      await rewriteFrom(t, seq, null, (r) => (r.details = { i: 99 }), 0);
      const result = await t.verify();
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: seq });
      expect(result.problems[0]).toMatchObject({ seq, kind: 'unkeyed-after-keyed' });
    });
  });

  it('a row edited and the rest re-hashed with HMAC under a wrong key is detected', async () => {
    await withTrail(5, async (t) => {
      const seq = await t.seqOf('obj-2');
      await rewriteFrom(t, seq, randomBytes(32), (r) => (r.details = { i: 99 }));
      const result = await t.verify();
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: seq });
      expect(result.problems[0]).toMatchObject({ seq, kind: 'edited' });
    });
  });

  it('a head rewritten to match a shortened trail fails its MAC; a deleted head is reported', async () => {
    await withTrail(5, async (t) => {
      const last = await t.seqOf('obj-4');
      const [prev] = await t.sql<{ seq: string; hash: string }>('SELECT seq::text, hash FROM audit_events WHERE seq < $1 ORDER BY seq DESC LIMIT 1', [last]);
      await t.sql('DELETE FROM audit_events WHERE seq = $1', [last]);
      // The forger points the head at the new last row, with a MAC under a key of their own.
      await t.sql(`UPDATE audit_head SET seq = $1, count = count - 1, hash = $2, mac = $3`, [prev!.seq, prev!.hash, randomBytes(32).toString('hex')]);
      const forged = await t.verify();
      expect(forged.ok).toBe(false);
      expect(forged.problems).toEqual([expect.objectContaining({ kind: 'head-forged' })]);
      await t.sql('DELETE FROM audit_head');
      const missing = await t.verify();
      expect(missing.problems).toEqual([expect.objectContaining({ kind: 'head-missing' })]);
    });
  });

  it('a head deleted with the newest rows and started again by PassMan stays on record as head-rebuilt', async () => {
    await withTrail(4, async (t) => {
      const last = await t.seqOf('obj-3');
      await t.sql('DELETE FROM audit_events WHERE seq = $1', [last]);
      await t.sql('DELETE FROM audit_head');
      // PassMan starts again (no checkpoint was written yet: the trail is young).
      await t.pm.services.audit.initialize();
      const result = await t.verify();
      expect(result.ok).toBe(false);
      const rebuilt = await t.sql<{ seq: string; outcome: string }>(`SELECT seq::text, outcome FROM audit_events WHERE action = 'audit.head_rebuilt'`);
      expect(rebuilt).toEqual([{ seq: expect.any(String), outcome: 'failure' }]);
      expect(result.problems).toEqual([expect.objectContaining({ kind: 'head-rebuilt', seq: rebuilt[0]!.seq })]);
      expect(result.firstBrokenSeq).toBe(rebuilt[0]!.seq);
      // Deleting that event too loses the head again; the next start records it anew.
      await t.sql('DELETE FROM audit_events WHERE seq = $1', [rebuilt[0]!.seq]);
      await t.sql('DELETE FROM audit_head');
      await t.pm.services.audit.initialize();
      expect((await t.verify()).problems.map((p: { kind: string }) => p.kind)).toEqual(['head-rebuilt']);
    });
  });

  it('a whole trail re-forged as an unkeyed chain, its head and checkpoints deleted, is not taken for one from before the keyed chain', async () => {
    await withTrail(4, async (t) => {
      await t.pm.services.audit.checkpoint();
      const [first] = await t.sql<{ seq: string }>('SELECT min(seq)::text AS seq FROM audit_events');
      // Every row from the first on, hashed with plain SHA-256 as the unkeyed chain did: no key needed.
      await rewriteFrom(t, first!.seq, null, (r) => (r.details = { rewritten: true }), 0);
      await t.sql('DELETE FROM audit_checkpoints');
      await t.sql('DELETE FROM audit_head');
      // PassMan starts again and finds a trail without a head or checkpoints, every row unkeyed.
      await t.pm.services.audit.initialize();
      const result = await t.verify();
      expect(result.ok).toBe(false);
      expect(result.problems.map((p: { kind: string }) => p.kind)).toEqual(['head-rebuilt']);
    });
  });

  it('a head rolled back to an earlier genuine one (newest rows deleted) is caught by a later checkpoint', async () => {
    await withTrail(3, async (t) => {
      const [saved] = await t.sql<Record<string, unknown>>('SELECT seq, count, hash, at, mac FROM audit_head');
      for (let i = 3; i < 6; i += 1)
        await t.pm.services.audit.record(systemContext(`more-${i}`), { action: 'test.event', objectType: 'thing', objectId: `obj-${i}` });
      const checkpoint = await t.pm.services.audit.checkpoint();
      expect(checkpoint).not.toBeNull();
      // The attacker restores the head saved before the last events and deletes those events.
      await t.sql('DELETE FROM audit_events WHERE seq > $1', [saved!.seq]);
      await t.sql('UPDATE audit_head SET seq = $1, count = $2, hash = $3, at = $4, mac = $5', [saved!.seq, saved!.count, saved!.hash, saved!.at, saved!.mac]);
      const result = await t.verify();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([expect.objectContaining({ kind: 'checkpoint-mismatch', seq: checkpoint!.seq.toString() })]);
      expect(result.firstBrokenSeq).toBe(String(BigInt(saved!.seq as string) + 1n));
    });
  });

  it('a checkpoint that no longer matches the rows, or whose MAC fails, is reported', async () => {
    await withTrail(4, async (t) => {
      const checkpoint = (await t.pm.services.audit.checkpoint())!;
      const clean = await t.verify();
      expect(clean).toMatchObject({ ok: true, checkpointsChecked: 1, checkpoint: { seq: checkpoint.seq.toString(), count: Number(checkpoint.count) } });
      // A checkpoint copied with another count (its MAC no longer fits)…
      await t.sql('INSERT INTO audit_checkpoints (seq, count, hash, at, mac) SELECT seq, count + 1, hash, at, mac FROM audit_checkpoints');
      // …and a genuine one whose row was replaced by another (same seq, other content, re-keyed with a wrong key).
      await rewriteFrom(t, checkpoint.seq.toString(), randomBytes(32), (r) => (r.details = { swapped: true }));
      const result = await t.verify();
      const kinds = result.problems.map((p: { kind: string }) => p.kind).sort();
      expect(kinds).toEqual(['checkpoint-forged', 'checkpoint-mismatch', 'edited', 'head-mismatch']);
      expect(result.firstBrokenSeq).toBe(checkpoint.seq.toString());
    });
  });

  it('answers for the live shared chain, with concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 10 }, () =>
        createUser(api).then((u) => api.request().post('/api/v1/auth/login').send({ username: u.username, password: 'nope-nope-nope' })),
      ),
    );
    const auditor = await loginAs(api, 'auditor');
    const res = await auditor.agent.get('/api/v1/audit/verify').expect(200);
    expect(res.body).toMatchObject({ ok: true, problems: [], firstBrokenSeq: null });
    expect(res.body.checked).toBeGreaterThan(10);
  });
});

describe('an installation whose trail predates the keyed chain', () => {
  it('keeps its unkeyed rows as a prefix the first keyed row binds; editing that prefix is still detected', async () => {
    const adminUrl = process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
    const url = await createMigratedDatabase(adminUrl, 'passman_audit');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let pm: TestApi | undefined;
    try {
      // Three rows as the unkeyed chain wrote them, before any head existed.
      let prev = '0'.repeat(64);
      for (let i = 0; i < 3; i += 1) {
        const row: RawRow = {
          seq: '',
          at: new Date(Date.UTC(2026, 10, 1, 0, i)),
          actor_id: null,
          actor_name: 'system',
          action: 'legacy.event',
          object_type: 'thing',
          object_id: `old-${i}`,
          outcome: 'success',
          request_id: null,
          ip: null,
          details: { i },
          prev_hash: prev,
        };
        const hash = forgedHash(null, prev, row);
        await client.query(
          `INSERT INTO audit_events (at, actor_name, action, object_type, object_id, outcome, details, prev_hash, hash, mac_version) VALUES ($1, 'system', 'legacy.event', 'thing', $2, 'success', $3, $4, $5, 0)`,
          [row.at, row.object_id, JSON.stringify(row.details), prev, hash],
        );
        prev = hash;
      }
      // The first start after the upgrade, told so by its operator.
      pm = await createTestApi({ databaseUrl: url, adoptUnkeyedTrail: true });
      const auditor = await loginAs(pm, 'auditor');
      const keyed = await pm.db.auditEvent.findFirstOrThrow({ where: { macVersion: 1 }, orderBy: { seq: 'asc' } });
      expect(keyed.prevHash).toBe(prev);
      const clean = (await auditor.agent.get('/api/v1/audit/verify').expect(200)).body;
      expect(clean).toMatchObject({ ok: true, problems: [] });
      expect(clean.checked).toBeGreaterThanOrEqual(4);

      await client.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
      await client.query(`UPDATE audit_events SET details = '{"i": 7}' WHERE object_id = 'old-1'`);
      const edited = (await auditor.agent.get('/api/v1/audit/verify').expect(200)).body;
      expect(edited.problems).toEqual([expect.objectContaining({ kind: 'edited' })]);
    } finally {
      await client.end();
      await pm?.close();
      await dropDatabase(adminUrl, url);
    }
  });
});
