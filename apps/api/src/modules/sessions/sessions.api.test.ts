import type { RoleName } from '@passman/contracts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, createUser, loginAs, randomClientIp, unique, type TestApi, type TestUser } from '../../test/harness.js';

// Sessions and tokens of any user, for administrators (users.manage), and one's own sessions.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

/** A session of `user` whose requests come from `ip` (X-Forwarded-For; the harness trusts it). */
async function sessionOf(user: TestUser, ip = randomClientIp(), userAgent = 'PassManTest/1.0') {
  const agent = api.request().set('X-Forwarded-For', ip).set('User-Agent', userAgent);
  const res = await agent.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  return { agent, csrf: res.body.csrfToken as string, ip, cookie };
}

async function tokenOf(session: Awaited<ReturnType<typeof sessionOf>>) {
  const res = await session.agent
    .post('/api/v1/tokens')
    .set('X-CSRF-Token', session.csrf)
    .send({ name: unique('tok'), scopes: ['accounts.view'] })
    .expect(201);
  return { id: res.body.id as string, secret: res.body.token as string, bearer: `Bearer ${res.body.token as string}` };
}

const asAdmin = () => loginAs(api, 'admin');

describe('an administrator and another user’s sessions and tokens', () => {
  it('lists them with created, last used time and address, user agent — never a secret or hash', async () => {
    const admin = await asAdmin();
    const user = await createUser(api, 'operator');
    const session = await sessionOf(user, randomClientIp(), 'Firefox/140 test');
    const token = await tokenOf(session);
    const usedFrom = randomClientIp();
    const usedAfter = Date.now();
    await api.request().set('X-Forwarded-For', usedFrom).get('/api/v1/auth/me').set('Authorization', token.bearer).expect(200);
    const usedBefore = Date.now();

    const sessions = await admin.agent.get(`/api/v1/users/${user.id}/sessions`).expect(200);
    expect(sessions.body.items).toHaveLength(1);
    expect(sessions.body.items[0]).toMatchObject({ loginIp: session.ip, lastSeenIp: session.ip, userAgent: 'Firefox/140 test', current: false });
    expect(sessions.body.nextCursor).toBeNull();

    const tokens = await admin.agent.get(`/api/v1/users/${user.id}/tokens`).expect(200);
    expect(tokens.body.items).toHaveLength(1);
    expect(tokens.body.items[0]).toMatchObject({ id: token.id, lastUsedIp: usedFrom, revokedAt: null, revokedReason: null, scopes: ['accounts.view'] });
    expect(Date.parse(tokens.body.items[0].lastUsedAt)).toBeGreaterThanOrEqual(usedAfter);
    expect(Date.parse(tokens.body.items[0].lastUsedAt)).toBeLessThanOrEqual(usedBefore);

    const rows = await api.db.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    const sessionRow = await api.db.session.findFirstOrThrow({ where: { userId: user.id } });
    const text = JSON.stringify([sessions.body, tokens.body]);
    for (const secret of [token.secret, rows.tokenHash, sessionRow.tokenHash, session.cookie.split('=')[1]!]) expect(text).not.toContain(secret);
  });

  it('records the last use at most once a minute, with the address of that request', async () => {
    const user = await createUser(api, 'operator');
    const session = await sessionOf(user);
    const token = await tokenOf(session);
    const first = randomClientIp();
    const second = randomClientIp();
    await api.request().set('X-Forwarded-For', first).get('/api/v1/auth/me').set('Authorization', token.bearer).expect(200);
    await api.request().set('X-Forwarded-For', second).get('/api/v1/auth/me').set('Authorization', token.bearer).expect(200);
    expect((await api.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedIp).toBe(first);

    await api.db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date(Date.now() - 61_000) } });
    await api.request().set('X-Forwarded-For', second).get('/api/v1/auth/me').set('Authorization', token.bearer).expect(200);
    expect((await api.db.apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedIp).toBe(second);

    // A session not used since its login (so not in this process's session cache either).
    const unused = await sessionOf(user);
    const row = await api.db.session.findFirstOrThrow({ where: { userId: user.id, ip: unused.ip } });
    expect(row.lastSeenIp).toBe(unused.ip);
    await api.db.session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(Date.now() - 61_000) } });
    const elsewhere = randomClientIp();
    const seenAfter = Date.now();
    await unused.agent.get('/api/v1/auth/me').set('X-Forwarded-For', elsewhere).expect(200);
    const seenBefore = Date.now();
    const seen = await api.db.session.findUniqueOrThrow({ where: { id: row.id } });
    expect([seen.ip, seen.lastSeenIp]).toEqual([unused.ip, elsewhere]);
    expect(seen.lastSeenAt.getTime()).toBeGreaterThanOrEqual(seenAfter);
    expect(seen.lastSeenAt.getTime()).toBeLessThanOrEqual(seenBefore);
  });

  it('revokes another user’s token: it answers 401 at once; audited', async () => {
    const admin = await asAdmin();
    const user = await createUser(api, 'operator');
    const token = await tokenOf(await sessionOf(user));
    const res = await admin.agent.delete(`/api/v1/users/${user.id}/tokens/${token.id}`).set('X-CSRF-Token', admin.csrf).expect(204);
    expect((await api.request().get('/api/v1/auth/me').set('Authorization', token.bearer).expect(401)).body.code).toBe('UNAUTHENTICATED');
    const listed = await admin.agent.get(`/api/v1/users/${user.id}/tokens`).expect(200);
    expect(listed.body.items[0]).toMatchObject({ id: token.id, revokedReason: 'admin' });
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'] } });
    expect(event).toMatchObject({ action: 'token.revoke', objectType: 'api_token', objectId: token.id, actorId: admin.user.id });
    expect(event.details).toMatchObject({ userId: user.id, reason: 'admin' });
  });

  it('ends one session (refused at once, in this process too), then all the others; audited', async () => {
    const admin = await asAdmin();
    const user = await createUser(api, 'operator');
    const [one, two, three] = [await sessionOf(user), await sessionOf(user), await sessionOf(user)];
    // Each has been used, so this process has it in its session cache.
    for (const s of [one, two, three]) await s.agent.get('/api/v1/auth/me').expect(200);
    const listed = await admin.agent.get(`/api/v1/users/${user.id}/sessions`).expect(200);
    const idOf = async (s: typeof one) =>
      (await s.agent.get('/api/v1/auth/sessions').expect(200)).body.items.find((i: { current: boolean }) => i.current).id as string;
    const oneId = await idOf(one);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(oneId);

    const ended = await admin.agent.delete(`/api/v1/users/${user.id}/sessions/${oneId}`).set('X-CSRF-Token', admin.csrf).expect(204);
    await one.agent.get('/api/v1/auth/me').expect(401);
    await two.agent.get('/api/v1/auth/me').expect(200);
    expect(await api.db.auditEvent.findFirst({ where: { requestId: ended.headers['x-request-id'] } })).toMatchObject({
      action: 'session.end',
      objectType: 'session',
      objectId: oneId,
    });

    const all = await admin.agent.delete(`/api/v1/users/${user.id}/sessions`).set('X-CSRF-Token', admin.csrf).expect(200);
    expect(all.body).toEqual({ ended: 2 });
    await two.agent.get('/api/v1/auth/me').expect(401);
    await three.agent.get('/api/v1/auth/me').expect(401);
    expect(await api.db.auditEvent.findFirst({ where: { requestId: all.headers['x-request-id'] } })).toMatchObject({
      action: 'session.end_all',
      objectType: 'user',
      objectId: user.id,
      details: { ended: 2 },
    });
    await admin.agent.get('/api/v1/auth/me').expect(200);
  });

  it('a route for user X touches only X’s rows: another user’s session or token id is a 404, and it lives on', async () => {
    const admin = await asAdmin();
    const x = await createUser(api, 'operator');
    const y = await createUser(api, 'operator');
    await sessionOf(x);
    const ySession = await sessionOf(y);
    const yToken = await tokenOf(ySession);
    const ySessionId = (await api.db.session.findFirstOrThrow({ where: { userId: y.id } })).id;
    expect((await admin.agent.delete(`/api/v1/users/${x.id}/sessions/${ySessionId}`).set('X-CSRF-Token', admin.csrf).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await admin.agent.delete(`/api/v1/users/${x.id}/tokens/${yToken.id}`).set('X-CSRF-Token', admin.csrf).expect(404)).body.code).toBe('NOT_FOUND');
    await ySession.agent.get('/api/v1/auth/me').expect(200);
    await api.request().get('/api/v1/auth/me').set('Authorization', yToken.bearer).expect(200);
    const listed = await admin.agent.get(`/api/v1/users/${x.id}/sessions`).expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).not.toContain(ySessionId);
  });

  it('pages through a user’s sessions newest first', async () => {
    const admin = await asAdmin();
    const user = await createUser(api, 'operator');
    for (let i = 0; i < 3; i += 1) await sessionOf(user);
    const ids = (await api.db.session.findMany({ where: { userId: user.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] })).map((s) => s.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await admin.agent
        .get(`/api/v1/users/${user.id}/sessions`)
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect((await admin.agent.get(`/api/v1/users/${user.id}/tokens?cursor=WzEsMl0`).expect(400)).body.code).toBe('INVALID_CURSOR');
  });

  it.each(['operator', 'auditor'] as RoleName[])('a%s gets 403 from every administrator route', async (role) => {
    const caller = await loginAs(api, role);
    const user = await createUser(api, 'operator');
    const session = await sessionOf(user);
    const token = await tokenOf(session);
    const sessionId = (await api.db.session.findFirstOrThrow({ where: { userId: user.id } })).id;
    const base = `/api/v1/users/${user.id}`;
    for (const res of [
      await caller.agent.get(`${base}/sessions`),
      await caller.agent.get(`${base}/tokens`),
      await caller.agent.delete(`${base}/sessions`).set('X-CSRF-Token', caller.csrf),
      await caller.agent.delete(`${base}/sessions/${sessionId}`).set('X-CSRF-Token', caller.csrf),
      await caller.agent.delete(`${base}/tokens/${token.id}`).set('X-CSRF-Token', caller.csrf),
    ]) {
      expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    }
    await session.agent.get('/api/v1/auth/me').expect(200);
    await api.request().get('/api/v1/auth/me').set('Authorization', token.bearer).expect(200);
  });
});

describe('one’s own sessions', () => {
  it('lists them (the current one marked) and ends another one; never another user’s', async () => {
    const user = await createUser(api, 'operator');
    const here = await sessionOf(user);
    const there = await sessionOf(user);
    const other = await sessionOf(await createUser(api, 'operator'));
    const mine = await here.agent.get('/api/v1/auth/sessions').expect(200);
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.items.filter((i: { current: boolean }) => i.current)).toHaveLength(1);
    const thereId = mine.body.items.find((i: { current: boolean }) => !i.current).id as string;
    const otherId = (await other.agent.get('/api/v1/auth/sessions').expect(200)).body.items[0].id as string;

    expect((await here.agent.delete(`/api/v1/auth/sessions/${otherId}`).set('X-CSRF-Token', here.csrf).expect(404)).body.code).toBe('NOT_FOUND');
    await other.agent.get('/api/v1/auth/me').expect(200);

    const res = await here.agent.delete(`/api/v1/auth/sessions/${thereId}`).set('X-CSRF-Token', here.csrf).expect(204);
    await there.agent.get('/api/v1/auth/me').expect(401);
    await here.agent.get('/api/v1/auth/me').expect(200);
    expect(await api.db.auditEvent.findFirst({ where: { requestId: res.headers['x-request-id'] } })).toMatchObject({
      action: 'session.end',
      objectId: thereId,
      actorId: user.id,
    });
  });

  it('ends all the others at once, keeping this one and other users’ sessions; audited', async () => {
    const user = await createUser(api, 'operator');
    const here = await sessionOf(user);
    const [a, b] = [await sessionOf(user), await sessionOf(user)];
    const stranger = await sessionOf(await createUser(api, 'operator'));
    for (const s of [a, b]) await s.agent.get('/api/v1/auth/me').expect(200);
    const res = await here.agent.delete('/api/v1/auth/sessions').set('X-CSRF-Token', here.csrf).expect(200);
    expect(res.body).toEqual({ ended: 2 });
    await a.agent.get('/api/v1/auth/me').expect(401);
    await b.agent.get('/api/v1/auth/me').expect(401);
    await here.agent.get('/api/v1/auth/me').expect(200);
    await stranger.agent.get('/api/v1/auth/me').expect(200);
    expect(await api.db.auditEvent.findFirst({ where: { requestId: res.headers['x-request-id'] } })).toMatchObject({
      action: 'session.end_others',
      objectId: user.id,
      actorId: user.id,
      details: { ended: 2 },
    });
    expect((await here.agent.delete('/api/v1/auth/sessions').expect(403)).body.code).toBe('CSRF_FAILED');
  });

  it('an API token can neither list nor end its owner’s sessions', async () => {
    const user = await createUser(api, 'admin');
    const session = await sessionOf(user);
    const token = await tokenOf(session);
    const sessionId = (await api.db.session.findFirstOrThrow({ where: { userId: user.id } })).id;
    expect((await api.request().get('/api/v1/auth/sessions').set('Authorization', token.bearer).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await api.request().delete(`/api/v1/auth/sessions/${sessionId}`).set('Authorization', token.bearer).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await api.request().delete('/api/v1/auth/sessions').set('Authorization', token.bearer).expect(403)).body.code).toBe('FORBIDDEN');
    await session.agent.get('/api/v1/auth/me').expect(200);
  });
});
