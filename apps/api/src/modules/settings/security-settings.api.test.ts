import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, dropDatabase } from '@passman/testkit';
import { createToken } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client } from '../jobs/jobs.test-util.js';

// Session timeouts and the step-up window as administrator settings. In a database of its own:
// every other test file reads these settings from the shared one meanwhile.

const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
let databaseUrl: string | undefined;
let pm: TestApi;
let admin: LoggedIn;
let offsetMs = 0;

beforeAll(async () => {
  databaseUrl = await createMigratedDatabase(adminUrl(), 'passman_security_settings');
  pm = await createTestApi({ databaseUrl, stepUpNow: () => new Date(Date.now() + offsetMs) });
  admin = await loginAs(pm, 'admin');
});
afterAll(async () => {
  await pm?.close();
  if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
});
beforeEach(async () => {
  offsetMs = 0;
  // Back to the environment's defaults: each test starts from nothing stored.
  await pm.db.systemSetting.deleteMany({ where: { key: { startsWith: 'security.' } } });
  await client(admin).patch('/settings/security', { stepUpWindowSeconds: 300 }).expect(200);
  await pm.db.systemSetting.deleteMany({ where: { key: { startsWith: 'security.' } } });
});

const settings = () => admin.agent.get('/api/v1/settings/security').expect(200);

describe('security settings', () => {
  it('default to the environment; a change is stored, answered and audited with before and after', async () => {
    expect((await settings()).body).toEqual({ sessionIdleMinutes: 30, sessionMaxHours: 12, stepUpWindowSeconds: 300, updatedAt: null });
    const res = await client(admin).patch('/settings/security', { sessionIdleMinutes: 15, stepUpWindowSeconds: 120 }).expect(200);
    expect(res.body).toMatchObject({ sessionIdleMinutes: 15, sessionMaxHours: 12, stepUpWindowSeconds: 120 });
    expect(res.body.updatedAt).not.toBeNull();
    expect((await settings()).body).toEqual(res.body);
    const event = await pm.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'] } });
    expect(event).toMatchObject({
      action: 'settings.security.update',
      objectType: 'settings',
      actorId: admin.user.id,
      details: { before: { sessionIdleMinutes: 30, stepUpWindowSeconds: 300 }, after: { sessionIdleMinutes: 15, stepUpWindowSeconds: 120 } },
    });
    // Sending what is already set changes nothing and records nothing.
    const same = await client(admin).patch('/settings/security', { sessionIdleMinutes: 15 }).expect(200);
    expect(await pm.db.auditEvent.count({ where: { requestId: same.headers['x-request-id'] } })).toBe(0);
  });

  it.each([
    [{ sessionIdleMinutes: 0 }],
    [{ sessionIdleMinutes: 24 * 60 + 1 }],
    [{ sessionMaxHours: 0 }],
    [{ sessionMaxHours: 1.5 }],
    [{ stepUpWindowSeconds: 4 }],
    [{ stepUpWindowSeconds: 86_401 }],
    [{ stepUpWindowSeconds: '300' }],
    [{ somethingElse: 1 }],
    [{}],
  ])('refuses %j with a 422 naming the field, storing nothing', async (body) => {
    const res = await client(admin).patch('/settings/security', body);
    expect([res.status, res.body.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(await pm.db.systemSetting.count({ where: { key: { startsWith: 'security.' } } })).toBe(0);
  });

  it('only users.manage reads or changes them; a token with it is not asked to step up', async () => {
    const operator = await loginAs(pm, 'operator');
    expect((await operator.agent.get('/api/v1/settings/security')).status).toBe(403);
    expect((await client(operator).patch('/settings/security', { sessionIdleMinutes: 5 })).body.code).toBe('FORBIDDEN');
    const token = await createToken(pm, admin, { scopes: ['users.manage'] });
    await pm.request().patch('/api/v1/settings/security').set('Authorization', `Bearer ${token.token}`).send({ sessionMaxHours: 8 }).expect(200);
    expect((await settings()).body.sessionMaxHours).toBe(8);
  });

  it('a shorter idle timeout ends sessions idle longer than it, at once', async () => {
    const user = await loginAs(pm, 'operator');
    const sessionId = (await pm.db.session.findFirstOrThrow({ where: { userId: user.user.id } })).id;
    await pm.db.session.update({ where: { id: sessionId }, data: { lastSeenAt: new Date(Date.now() - 10 * 60_000) } });
    await client(admin).patch('/settings/security', { sessionIdleMinutes: 5 }).expect(200);
    expect((await user.agent.get('/api/v1/auth/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
    expect(await pm.db.session.count({ where: { id: sessionId } })).toBe(0);
  });

  it('a shorter absolute timeout ends sessions older than it, though their cookie said longer', async () => {
    const user = await loginAs(pm, 'operator');
    const sessionId = (await pm.db.session.findFirstOrThrow({ where: { userId: user.user.id } })).id;
    await pm.db.session.update({ where: { id: sessionId }, data: { createdAt: new Date(Date.now() - 2 * 3_600_000) } });
    await user.agent.get('/api/v1/auth/me').expect(200);
    await client(admin).patch('/settings/security', { sessionMaxHours: 1 }).expect(200);
    await user.agent.get('/api/v1/auth/me').expect(401);
  });

  it('a new login lasts the absolute timeout in force (session row and cookie)', async () => {
    await client(admin).patch('/settings/security', { sessionMaxHours: 2 }).expect(200);
    const user = await loginAs(pm, 'operator');
    const row = await pm.db.session.findFirstOrThrow({ where: { userId: user.user.id } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(2 * 3_600_000 - 5_000);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(2 * 3_600_000 + 5_000);
    const login = await pm.request().post('/api/v1/auth/login').send({ username: user.user.username, password: user.user.password }).expect(200);
    expect(String(login.headers['set-cookie'])).toContain('Max-Age=7200');
  });

  it('the step-up window decides when sensitive actions ask again', async () => {
    const user = await loginAs(pm, 'admin');
    offsetMs = 400_000;
    expect((await user.agent.get('/api/v1/auth/step-up').expect(200)).body).toMatchObject({ fresh: false, windowSeconds: 300 });
    const refused = await client(user).post('/tokens', { name: 'a', scopes: ['accounts.view'] });
    expect(refused.body.code).toBe('STEP_UP_REQUIRED');
    await client(admin).patch('/settings/security', { stepUpWindowSeconds: 600 }).expect(403);
    offsetMs = 0;
    await client(admin).patch('/settings/security', { stepUpWindowSeconds: 600 }).expect(200);
    offsetMs = 400_000;
    expect((await user.agent.get('/api/v1/auth/step-up').expect(200)).body).toMatchObject({ fresh: true, windowSeconds: 600 });
    await client(user)
      .post('/tokens', { name: 'a', scopes: ['accounts.view'] })
      .expect(201);
  });
});
