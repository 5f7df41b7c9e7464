import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearerFor, createTestApi, loginAs, unique, type TestApi } from '../../test/harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('API tokens', () => {
  it('creates a token shown once, with ≥128 random bits, stored only as a hash', async () => {
    const { agent, csrf, user } = await loginAs(api, 'operator');
    const before = Date.now();
    const res = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: 'ci', scopes: ['accounts.view'], expiresInDays: 7 })
      .expect(201);
    const after = Date.now();
    const token: string = res.body.token;
    expect(token).toMatch(/^pm_[A-Za-z0-9_-]{43}$/); // 32 random bytes = 256 bits
    const row = await api.db.apiToken.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row.userId).toBe(user.id);
    expect(row.tokenHash).not.toContain(token.slice(3));
    expect(JSON.stringify(row)).not.toContain(token);
    // Seven days from the moment the server handled the request, which lies between before and after.
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 7 * 86_400_000);
    const list = await agent.get('/api/v1/tokens').expect(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([res.body.id]);
    expect(JSON.stringify(list.body)).not.toContain(token);
  });

  it('lists one’s own tokens a page at a time, newest first, and never another user’s', async () => {
    const { agent, csrf } = await loginAs(api, 'operator');
    const other = await loginAs(api, 'operator');
    const make = async (who: typeof other, name: string) =>
      (
        await who.agent
          .post('/api/v1/tokens')
          .set('X-CSRF-Token', who.csrf)
          .send({ name, scopes: ['accounts.view'] })
          .expect(201)
      ).body.id as string;
    const mine = [];
    for (const name of ['one', 'two', 'three']) mine.push(await make({ ...other, agent, csrf }, unique(name)));
    await make(other, unique('theirs'));
    const first = await agent.get('/api/v1/tokens?limit=2').expect(200);
    expect(first.body.items.map((t: { id: string }) => t.id)).toEqual([mine[2], mine[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await agent.get(`/api/v1/tokens?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(200);
    expect(second.body).toMatchObject({ items: [{ id: mine[0] }], nextCursor: null });
    expect((await agent.get('/api/v1/tokens?limit=0').expect(422)).body.code).toBe('VALIDATION_FAILED');
    // A cursor this list did not hand out, or one with NUL and a lone surrogate in it: a clear 4xx, never a 500.
    expect((await agent.get('/api/v1/tokens?cursor=not-a-cursor').expect(400)).body.code).toBe('INVALID_CURSOR');
    expect((await agent.get('/api/v1/tokens?cursor=%00%ED%A0%80').expect((res) => expect([400, 422]).toContain(res.status))).body.code).not.toBe('INTERNAL');
  });

  it('authenticates with Authorization: Bearer, without CSRF, limited to its scopes', async () => {
    const token = await bearerFor(api, 'admin', ['audit.view']);
    const me = await api.request().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body.user.permissions).toEqual(['audit.view']);
    expect(me.body.csrfToken).toBeNull();
    await api.request().get('/api/v1/audit?limit=1').set('Authorization', `Bearer ${token}`).expect(200);
    const denied = await api.request().get('/api/v1/users').set('Authorization', `Bearer ${token}`).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
  });

  it('cannot be given permissions its owner lacks', async () => {
    const { agent, csrf } = await loginAs(api, 'auditor');
    const res = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: 'x', scopes: ['credentials.reset'] })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('stops working when revoked, expired, or its owner is disabled', async () => {
    const { agent, csrf, user } = await loginAs(api, 'operator');
    const created = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: unique('t'), scopes: ['accounts.view'] })
      .expect(201);
    const bearer = `Bearer ${created.body.token}`;
    await api.request().get('/api/v1/auth/me').set('Authorization', bearer).expect(200);

    await agent.delete(`/api/v1/tokens/${created.body.id}`).set('X-CSRF-Token', csrf).expect(204);
    expect((await api.request().get('/api/v1/auth/me').set('Authorization', bearer).expect(401)).body.code).toBe('UNAUTHENTICATED');

    const second = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: unique('t'), scopes: ['accounts.view'] })
      .expect(201);
    await api.db.apiToken.update({ where: { id: second.body.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await api.request().get('/api/v1/auth/me').set('Authorization', `Bearer ${second.body.token}`).expect(401);

    const third = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: unique('t'), scopes: ['accounts.view'] })
      .expect(201);
    await api.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    await api.request().get('/api/v1/auth/me').set('Authorization', `Bearer ${third.body.token}`).expect(401);
  });

  it('refuses a malformed Authorization header with 401', async () => {
    await api.request().get('/api/v1/auth/me').set('Authorization', 'Basic abc').expect(401);
    await api.request().get('/api/v1/auth/me').set('Authorization', 'Bearer pm_unknown').expect(401);
  });

  it('only lets a user revoke its own tokens (404 otherwise)', async () => {
    const owner = await loginAs(api, 'operator');
    const other = await loginAs(api, 'operator');
    const created = await owner.agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', owner.csrf)
      .send({ name: 'mine', scopes: ['accounts.view'] })
      .expect(201);
    await other.agent.delete(`/api/v1/tokens/${created.body.id}`).set('X-CSRF-Token', other.csrf).expect(404);
    await other.agent.delete('/api/v1/tokens/not-a-uuid').set('X-CSRF-Token', other.csrf).expect(422);
  });

  it('validates the body, listing every issue', async () => {
    const { agent, csrf } = await loginAs(api);
    const res = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: '', scopes: ['nope'], expiresInDays: 9999 })
      .expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.expiresInDays', 'body.name', 'body.scopes.0']);
  });

  it('audits creation and revocation without the secret', async () => {
    const { agent, csrf } = await loginAs(api);
    const created = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: unique('audited'), scopes: ['accounts.view'] })
      .expect(201);
    await agent.delete(`/api/v1/tokens/${created.body.id}`).set('X-CSRF-Token', csrf).expect(204);
    const events = await api.db.auditEvent.findMany({ where: { objectId: created.body.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['token.create', 'token.revoke']);
    expect(JSON.stringify(events.map((e) => ({ ...e, seq: String(e.seq) })))).not.toContain(created.body.token);
  });
});
