import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { createFolder, createGroup, createTarget, createToken, loginWith } from '../../test/factories.js';
import { createTestApi, createUser, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount } from '../jobs/jobs.test-util.js';

// Step-up: sensitive actions from a session whose last authentication is older than the window
// answer STEP_UP_REQUIRED until the user re-authenticates. The step-up rule's clock is moved
// past any window a setting allows (at most a day), so no test waits and none depends on the
// window stored in the shared database.

const PAST_ANY_WINDOW_MS = 25 * 3_600_000;
let offsetMs = 0;
let pm: TestApi;
let targetId: string;

beforeAll(async () => {
  pm = await createTestApi({ stepUpNow: () => new Date(Date.now() + offsetMs) });
  targetId = (await createTarget(pm)).id;
});
afterAll(async () => {
  await pm?.close();
});
beforeEach(() => {
  offsetMs = 0;
});

const reauth = (who: LoggedIn, password: string) => client(who).post('/auth/reauth', { method: 'password', password });
const authenticatedAt = async (who: LoggedIn) => (await who.agent.get('/api/v1/auth/step-up').expect(200)).body.authenticatedAt as string;

/** Each sensitive action, set up afresh (its own account, group or user) and sent by `who`. */
const ACTIONS: { name: string; success: number; prepare(admin: LoggedIn): Promise<(who: LoggedIn) => Promise<Response>> }[] = [
  {
    name: 'CheckOut',
    success: 200,
    async prepare(admin) {
      const accountId = await registerAccount(admin, targetId, newUser(), newPassword());
      return (who) => client(who).post(`/accounts/${accountId}/checkout`, { credentialType: 'PASSWORD' });
    },
  },
  {
    name: 'Reset Credentials',
    success: 202,
    async prepare(admin) {
      const accountId = await registerAccount(admin, targetId, newUser(), newPassword());
      return (who) => client(who).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: false });
    },
  },
  {
    name: 'a bulk reset',
    success: 202,
    async prepare(admin) {
      const accountId = await registerAccount(admin, targetId, newUser(), newPassword());
      return (who) => client(who).post('/jobs/bulk', { kind: 'RESET', accountIds: [accountId], reset: { credentialType: 'PASSWORD', changeOnTarget: false } });
    },
  },
  {
    name: 'PUT permissions of a folder',
    success: 200,
    async prepare() {
      const folder = await createFolder(pm);
      const user = await createUser(pm, 'operator');
      const body = { grants: [{ principal: { type: 'user', id: user.id }, action: 'view', effect: 'ALLOW' }] };
      return (who) => who.agent.put(`/api/v1/folders/${folder.id}/permissions`).set('X-CSRF-Token', who.csrf).send(body);
    },
  },
  {
    name: 'PUT permissions of a target',
    success: 200,
    async prepare() {
      const target = await createTarget(pm);
      const user = await createUser(pm, 'operator');
      const body = { grants: [{ principal: { type: 'user', id: user.id }, action: 'view', effect: 'ALLOW' }] };
      return (who) => who.agent.put(`/api/v1/targets/${target.id}/permissions`).set('X-CSRF-Token', who.csrf).send(body);
    },
  },
  {
    name: 'PUT permissions of an account',
    success: 200,
    async prepare(admin) {
      const accountId = await registerAccount(admin, targetId, newUser());
      const user = await createUser(pm, 'operator');
      const body = { grants: [{ principal: { type: 'user', id: user.id }, action: 'view', effect: 'ALLOW' }] };
      return (who) => who.agent.put(`/api/v1/accounts/${accountId}/permissions`).set('X-CSRF-Token', who.csrf).send(body);
    },
  },
  {
    name: 'adding a group member',
    success: 204,
    async prepare() {
      const group = await createGroup(pm);
      const user = await createUser(pm, 'operator');
      return (who) => who.agent.put(`/api/v1/groups/${group.id}/members/${user.id}`).set('X-CSRF-Token', who.csrf);
    },
  },
  {
    name: 'removing a group member',
    success: 204,
    async prepare() {
      const user = await createUser(pm, 'operator');
      const group = await createGroup(pm, [user.id]);
      return (who) => who.agent.delete(`/api/v1/groups/${group.id}/members/${user.id}`).set('X-CSRF-Token', who.csrf);
    },
  },
  {
    name: 'changing a user’s role',
    success: 200,
    async prepare() {
      const user = await createUser(pm, 'operator');
      return (who) => client(who).patch(`/users/${user.id}`, { role: 'auditor' });
    },
  },
  {
    name: 'creating an API token',
    success: 201,
    async prepare() {
      return (who) => client(who).post('/tokens', { name: newUser('tok'), scopes: ['accounts.view'] });
    },
  },
];

describe('each sensitive action', () => {
  it.each(ACTIONS)('$name goes through with a fresh login', async ({ prepare, success }) => {
    const admin = await loginAs(pm, 'admin');
    const send = await prepare(admin);
    expect((await send(admin)).status).toBe(success);
  });

  it.each(ACTIONS)(
    '$name is refused with STEP_UP_REQUIRED past the window, changing nothing; after re-authenticating it goes through',
    async ({ prepare, success }) => {
      const admin = await loginAs(pm, 'admin');
      const send = await prepare(admin);
      offsetMs = PAST_ANY_WINDOW_MS;
      const refused = await send(admin);
      expect([refused.status, refused.body.code]).toEqual([403, 'STEP_UP_REQUIRED']);
      expect(refused.body.methods).toEqual(['password']);
      expect(refused.body.secret).toBeUndefined();
      // Refused before anything was written: no audit event of that request.
      expect(await pm.db.auditEvent.count({ where: { requestId: refused.headers['x-request-id'] } })).toBe(0);

      await reauth(admin, admin.user.password).expect(200);
      expect((await send(admin)).status).toBe(success);
    },
  );
});

describe('who is not asked, and who is refused first', () => {
  it('an API token is never asked (the non-interactive path), even long after its owner logged in', async () => {
    const admin = await loginAs(pm, 'admin');
    const accountId = await registerAccount(admin, targetId, newUser(), newPassword());
    const token = await createToken(pm, admin, { scopes: ['credentials.checkout', 'accounts.view', 'tokens.manage'] });
    offsetMs = PAST_ANY_WINDOW_MS;
    await pm.request().post(`/api/v1/accounts/${accountId}/checkout`).set('Authorization', `Bearer ${token.token}`).send({}).expect(200);
    await pm
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', `Bearer ${token.token}`)
      .send({ name: newUser('tok'), scopes: ['accounts.view'] })
      .expect(201);
  });

  it('a caller without the right gets its 403 or 404, never a prompt that would say the action was otherwise allowed', async () => {
    const admin = await loginAs(pm, 'admin');
    const accountId = await registerAccount(admin, targetId, newUser(), newPassword());
    const outsider = await loginWith(pm, await createUser(pm, 'operator', { vaultRights: 'none' }));
    const operator = await loginAs(pm, 'operator');
    const auditor = await loginAs(pm, 'auditor');
    const someone = await createUser(pm, 'operator');
    const group = await createGroup(pm);
    offsetMs = PAST_ANY_WINDOW_MS;
    const answers = [
      await client(outsider).post(`/accounts/${accountId}/checkout`, {}),
      await client(outsider).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: false }),
      await operator.agent.put(`/api/v1/accounts/${accountId}/permissions`).set('X-CSRF-Token', operator.csrf).send({ grants: [] }),
      await operator.agent.put(`/api/v1/groups/${group.id}/members/${someone.id}`).set('X-CSRF-Token', operator.csrf),
      await client(auditor).patch(`/users/${someone.id}`, { role: 'admin' }),
      await client(auditor).post(`/accounts/${accountId}/checkout`, {}),
    ];
    for (const res of answers) {
      expect([403, 404]).toContain(res.status);
      expect(res.body.code).not.toBe('STEP_UP_REQUIRED');
    }
    expect(answers[0]!.body.code).toBe('NOT_FOUND');
    // An administrator changing its own role is refused for that, not asked to re-authenticate.
    const own = await client(admin).patch(`/users/${admin.user.id}`, { role: 'operator' });
    expect([own.status, own.body.code]).toEqual([409, 'CONFLICT']);
  });
});

describe('POST /auth/reauth', () => {
  it('with the right password marks the session as just authenticated (audited); the step-up status says so', async () => {
    const admin = await loginAs(pm, 'admin');
    offsetMs = PAST_ANY_WINDOW_MS;
    expect((await admin.agent.get('/api/v1/auth/step-up').expect(200)).body).toMatchObject({ fresh: false, methods: ['password'] });
    const res = await reauth(admin, admin.user.password).expect(200);
    expect(res.body.fresh).toBe(true);
    expect(Date.parse(res.body.authenticatedAt)).toBeGreaterThan(Date.now());
    const event = await pm.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'] } });
    expect(event).toMatchObject({ action: 'auth.reauth', objectType: 'session', outcome: 'success', actorId: admin.user.id });
    expect(JSON.stringify(event.details)).not.toContain(admin.user.password);
  });

  it('with a wrong password answers STEP_UP_FAILED, audits the failure, and the session goes on (still stale)', async () => {
    const admin = await loginAs(pm, 'admin');
    offsetMs = PAST_ANY_WINDOW_MS;
    const before = await authenticatedAt(admin);
    const res = await reauth(admin, 'not-the-password').expect(403);
    expect(res.body.code).toBe('STEP_UP_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('not-the-password');
    await admin.agent.get('/api/v1/auth/me').expect(200);
    expect(await authenticatedAt(admin)).toBe(before);
    const event = await pm.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'] } });
    expect(event).toMatchObject({ action: 'auth.reauth', outcome: 'failure', details: { method: 'password', reason: 'wrong-proof' } });
    expect(JSON.stringify(event.details)).not.toContain('not-the-password');
  });

  it('counts toward the login throttle: after 5 failures even the right password is refused (429), and so is a login from there', async () => {
    const session = await loginAs(pm, 'admin');
    for (let i = 0; i < 5; i += 1) await reauth(session, `wrong-${i}`).expect(403);
    const blocked = await reauth(session, session.user.password).expect(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    await session.agent.post('/api/v1/auth/login').send({ username: session.user.username, password: session.user.password }).expect(429);
    await session.agent.get('/api/v1/auth/me').expect(200);
  });

  it('racing wrong guesses get no more than the throttle allows; racing right ones all succeed', async () => {
    const victim = await loginAs(pm, 'admin');
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => reauth(victim, `guess-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(5);
    expect(statuses.every((s) => s === 403 || s === 429)).toBe(true);

    const other = await loginAs(pm, 'admin');
    offsetMs = PAST_ANY_WINDOW_MS;
    const right = await Promise.all(Array.from({ length: 4 }, () => reauth(other, other.user.password)));
    expect(right.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('acts only on the caller’s own session: naming another is refused, and another user’s password proves nothing', async () => {
    const victim = await loginAs(pm, 'admin');
    const attacker = await loginAs(pm, 'operator');
    offsetMs = PAST_ANY_WINDOW_MS;
    const victimBefore = await authenticatedAt(victim);
    const victimSessionId = (await pm.db.session.findFirstOrThrow({ where: { userId: victim.user.id } })).id;

    const named = await client(attacker).post('/auth/reauth', { method: 'password', password: attacker.user.password, sessionId: victimSessionId });
    expect([named.status, named.body.code]).toEqual([422, 'VALIDATION_FAILED']);
    const borrowed = await reauth(attacker, victim.user.password).expect(403);
    expect(borrowed.body.code).toBe('STEP_UP_FAILED');
    await reauth(attacker, attacker.user.password).expect(200);

    expect(await authenticatedAt(victim)).toBe(victimBefore);
    expect((await victim.agent.get('/api/v1/auth/step-up').expect(200)).body.fresh).toBe(false);
  });

  it('needs the CSRF header (a page elsewhere cannot re-authenticate the browser’s session)', async () => {
    const admin = await loginAs(pm, 'admin');
    const before = await authenticatedAt(admin);
    offsetMs = 60_000;
    const res = await admin.agent.post('/api/v1/auth/reauth').send({ method: 'password', password: admin.user.password }).expect(403);
    expect(res.body.code).toBe('CSRF_FAILED');
    const wrong = await admin.agent
      .post('/api/v1/auth/reauth')
      .set('X-CSRF-Token', 'forged')
      .send({ method: 'password', password: admin.user.password })
      .expect(403);
    expect(wrong.body.code).toBe('CSRF_FAILED');
    expect(await authenticatedAt(admin)).toBe(before);
  });

  it('is for browser sessions: a token gets 403; an unknown method is a 422', async () => {
    const admin = await loginAs(pm, 'admin');
    const token = await createToken(pm, admin, { scopes: ['accounts.view'] });
    const res = await pm.request().post('/api/v1/auth/reauth').set('Authorization', `Bearer ${token.token}`).send({ method: 'password', password: 'x' });
    expect([res.status, res.body.code]).toEqual([403, 'FORBIDDEN']);
    const unknown = await client(admin).post('/auth/reauth', { method: 'carrier-pigeon', password: admin.user.password });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'VALIDATION_FAILED']);
  });
});
