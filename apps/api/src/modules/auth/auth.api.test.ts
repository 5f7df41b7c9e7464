import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { attackerIp, createTestApi, createUser, loginAs, type TestApi } from '../../test/harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('POST /auth/login', () => {
  it('logs in with the right password and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const user = await createUser(api, 'operator');
    const res = await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
    expect(res.body.user).toMatchObject({ id: user.id, username: user.username, role: 'operator' });
    expect(res.body.user.permissions).toContain('credentials.reset');
    expect(res.body.user.permissions).not.toContain('users.manage');
    expect(typeof res.body.csrfToken).toBe('string');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^passman_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const row = await api.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a wrong password with 401 problem+json and audits the failure', async () => {
    const user = await createUser(api);
    const res = await api.request().post('/api/v1/auth/login').send({ username: user.username, password: 'not-the-password' }).expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(res.headers['set-cookie']).toBeUndefined();
    const events = await api.db.auditEvent.findMany({ where: { action: 'auth.login', objectId: user.id } });
    expect(events.map((e) => e.outcome)).toEqual(['failure']);
  });

  it('refuses an unknown user exactly like a wrong password', async () => {
    const res = await api.request().post('/api/v1/auth/login').send({ username: 'nobody-here', password: 'whatever-it-is' }).expect(401);
    expect(res.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('never stores the typed text of an unknown username (it is often a password typed in the wrong field)', async () => {
    const typed = `Tr0ub4dor-${Date.now()}`;
    const res = await api.request().post('/api/v1/auth/login').send({ username: typed, password: 'whatever-it-is' }).expect(401);
    const events = await api.db.auditEvent.findMany({ where: { requestId: res.headers['x-request-id'] } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'auth.login', outcome: 'failure', actorId: null, actorName: '(unknown user)', objectId: null });
    expect(JSON.stringify({ ...events[0], seq: String(events[0]!.seq) }).toLowerCase()).not.toContain(typed.toLowerCase());
    const throttles = await api.db.loginThrottle.findMany();
    expect(JSON.stringify(throttles).toLowerCase()).not.toContain(typed.toLowerCase());
  });

  it('names an existing user in the audit event of its failed login', async () => {
    const user = await createUser(api, 'operator');
    const res = await api.request().post('/api/v1/auth/login').send({ username: user.username.toUpperCase(), password: 'not-the-password' }).expect(401);
    const events = await api.db.auditEvent.findMany({ where: { requestId: res.headers['x-request-id'] } });
    expect(events.map((e) => [e.actorName, e.objectId, (e.details as { reason?: string }).reason])).toEqual([[user.username, user.id, 'wrong-password']]);
  });

  it('lists every invalid field in a 422', async () => {
    const res = await api.request().post('/api/v1/auth/login').send({ username: '', password: 5 }).expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.password', 'body.username']);
  });

  it('answers malformed JSON with 400 BAD_JSON, not a 500', async () => {
    const res = await api.request().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"username":').expect(400);
    expect(res.body.code).toBe('BAD_JSON');
  });
});

describe('sessions', () => {
  it('GET /auth/me needs a session', async () => {
    const res = await api.request().get('/api/v1/auth/me').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('GET /auth/me returns the user and the same CSRF token', async () => {
    const { agent, csrf, user } = await loginAs(api, 'auditor');
    const res = await agent.get('/api/v1/auth/me').expect(200);
    expect(res.body).toMatchObject({ user: { id: user.id, role: 'auditor' }, csrfToken: csrf });
  });

  it('unsafe methods need the CSRF header', async () => {
    const { agent, csrf } = await loginAs(api);
    expect((await agent.post('/api/v1/auth/logout').expect(403)).body.code).toBe('CSRF_FAILED');
    expect((await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', 'x'.repeat(43)).expect(403)).body.code).toBe('CSRF_FAILED');
    await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', csrf).expect(204);
  });

  it('logout ends the session on the server', async () => {
    const { agent, csrf, user } = await loginAs(api);
    await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', csrf).expect(204);
    await agent.get('/api/v1/auth/me').expect(401);
    expect(await api.db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it('disabling a user ends its sessions and refuses its next login', async () => {
    const admin = await loginAs(api, 'admin');
    const victim = await loginAs(api, 'operator');
    await victim.agent.get('/api/v1/auth/me').expect(200);
    await admin.agent.patch(`/api/v1/users/${victim.user.id}`).set('X-CSRF-Token', admin.csrf).send({ disabled: true }).expect(200);
    await victim.agent.get('/api/v1/auth/me').expect(401);
    await api.request().post('/api/v1/auth/login').send({ username: victim.user.username, password: victim.user.password }).expect(401);
  });

  it('an idle session expires', async () => {
    const shortLived = await createTestApi({ session: { idleMs: 1, maxAgeMs: 60_000 } });
    try {
      const { agent } = await loginAs(shortLived);
      await new Promise((r) => setTimeout(r, 5));
      await agent.get('/api/v1/auth/me').expect(401);
    } finally {
      await shortLived.close();
    }
  });
});

describe('login throttling', () => {
  it('blocks the address that failed 5 times for a user (429, Retry-After), even with the right password; other addresses log in', async () => {
    const user = await createUser(api);
    const attacker = api.request().set('X-Forwarded-For', attackerIp());
    for (let i = 0; i < 5; i += 1) {
      await attacker
        .post('/api/v1/auth/login')
        .send({ username: user.username, password: `wrong-${i}` })
        .expect(401);
    }
    const res = await attacker.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  });

  it('blocks an address that guesses many usernames, but not other addresses', async () => {
    const attacker = api.request().set('X-Forwarded-For', attackerIp());
    for (let i = 0; i < 30; i += 1) {
      await attacker
        .post('/api/v1/auth/login')
        .send({ username: `guess-${i}-${Date.now()}`, password: 'x' })
        .expect(401);
    }
    const user = await createUser(api);
    await attacker.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(429);
    await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  });
});

describe('logs', () => {
  it('hold request ids but never a password, session cookie, CSRF token or API token', async () => {
    const user = await createUser(api, 'admin');
    const agent = api.request();
    await agent
      .post('/api/v1/auth/login')
      .send({ username: user.username, password: `${user.password}-wrong` })
      .expect(401);
    const login = await agent.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!.split('=')[1]!;
    const csrf: string = login.body.csrfToken;
    const token = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: 'leak-check', scopes: ['audit.view'] })
      .expect(201);
    await api.request().get('/api/v1/auth/me').set('Authorization', `Bearer ${token.body.token}`).expect(200);
    const logs = api.logLines.join('\n');
    expect(logs).toContain(login.headers['x-request-id']);
    for (const secret of [user.password, cookie, csrf, token.body.token]) expect(logs).not.toContain(secret);
  });
});
