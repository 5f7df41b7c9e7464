import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, dropDatabase } from '@passman/testkit';
import { bearerFor, createTestApi, createUser, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { createGroup, loginWith } from '../../test/factories.js';
import { enrolTotp, testClock } from './mfa.test-util.js';

// The MFA policy is one setting for the whole installation: this file has a database of its own,
// so requiring MFA here never locks out the users of other test files.

const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
const clock = testClock(new Date());
let databaseUrl: string | undefined;
let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  databaseUrl = await createMigratedDatabase(adminUrl(), 'passman_mfa_policy');
  api = await createTestApi({ databaseUrl, mfaClock: clock.now });
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api?.close();
  if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
});

const setPolicy = (body: object, as: LoggedIn = admin) => as.agent.put('/api/v1/mfa/policy').set('X-CSRF-Token', as.csrf).send(body);

describe('the MFA policy', () => {
  it('is set by an admin, audited with before and after, and refused to an operator', async () => {
    expect((await admin.agent.get('/api/v1/mfa/policy').expect(200)).body).toMatchObject({ mode: 'off', since: null });
    const res = await setPolicy({ mode: 'selected', roles: ['auditor'], groupIds: [], graceDays: 3 }).expect(200);
    expect(res.body).toMatchObject({ mode: 'selected', roles: ['auditor'], graceDays: 3, since: expect.any(String) });
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'] } });
    expect(event).toMatchObject({ action: 'mfa.policy.update', details: { before: { mode: 'off' }, after: { mode: 'selected', roles: ['auditor'] } } });
    const operator = await loginAs(api, 'operator');
    expect((await setPolicy({ mode: 'off', roles: [], groupIds: [], graceDays: 0 }, operator)).status).toBe(403);
    const unknownGroup = await setPolicy({ mode: 'selected', roles: [], groupIds: ['01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c'], graceDays: 0 });
    expect([unknownGroup.status, unknownGroup.body.code]).toEqual([422, 'UNPROCESSABLE']);
  });

  it('for a role, after the grace period: the user can do nothing but enrol; then everything again; tokens are never gated', async () => {
    const user = await createUser(api, 'operator');
    const session = await loginWith(api, user);
    const token = await bearerFor(api, 'operator');
    await setPolicy({ mode: 'selected', roles: ['operator'], groupIds: [], graceDays: 0 }).expect(200);
    // The grace period runs from the user's creation when that is later than the policy.
    clock.advance(60_000);
    const refused = await session.agent.get('/api/v1/targets');
    expect([refused.status, refused.body.code]).toEqual([403, 'MFA_ENROLMENT_REQUIRED']);
    await session.agent.get('/api/v1/auth/me').expect(200);
    const status = await session.agent.get('/api/v1/mfa').expect(200);
    expect(status.body.policy).toMatchObject({ required: true, enrolmentRequired: true });
    // An API token is the non-interactive path: not gated.
    await api.request().get('/api/v1/targets').set('Authorization', `Bearer ${token}`).expect(200);
    // An admin (another role) is not concerned.
    await admin.agent.get('/api/v1/targets').expect(200);
    await enrolTotp(session, clock.now());
    await session.agent.get('/api/v1/targets').expect(200);
    expect((await session.agent.get('/api/v1/mfa').expect(200)).body.policy).toMatchObject({ required: true, enrolmentRequired: false, deadline: null });
  });

  it('for a group, with a grace period: members work until the deadline, then must enrol; others never', async () => {
    const member = await createUser(api, 'operator');
    const other = await createUser(api, 'operator');
    const group = await createGroup(api, [member.id]);
    await setPolicy({ mode: 'selected', roles: [], groupIds: [group.id], graceDays: 7 }).expect(200);
    const memberSession = await loginWith(api, member);
    const otherSession = await loginWith(api, other);
    await memberSession.agent.get('/api/v1/targets').expect(200);
    const during = (await memberSession.agent.get('/api/v1/mfa').expect(200)).body.policy;
    expect(during).toMatchObject({ required: true, enrolmentRequired: false });
    expect(Date.parse(during.deadline) - clock.now().getTime()).toBeGreaterThan(6.9 * 86_400_000);
    clock.advance(8 * 86_400_000);
    expect((await memberSession.agent.get('/api/v1/targets')).body.code).toBe('MFA_ENROLMENT_REQUIRED');
    await otherSession.agent.get('/api/v1/targets').expect(200);
    expect((await otherSession.agent.get('/api/v1/mfa').expect(200)).body.policy).toMatchObject({ required: false, enrolmentRequired: false });
  });

  it('keeps the last factor while the policy requires one', async () => {
    // A day of grace, so the admin (no factor) may still set the policy back.
    await setPolicy({ mode: 'everyone', roles: [], groupIds: [], graceDays: 1 }).expect(200);
    const user = await createUser(api, 'auditor');
    const session = await loginWith(api, user);
    const { factorId } = await enrolTotp(session, clock.now());
    const res = await session.agent.delete(`/api/v1/mfa/factors/${factorId}`).set('X-CSRF-Token', session.csrf);
    expect([res.status, res.body.code]).toEqual([409, 'MFA_FACTOR_REQUIRED']);
    expect(await api.db.mfaFactor.count({ where: { id: factorId } })).toBe(1);
    await setPolicy({ mode: 'off', roles: [], groupIds: [], graceDays: 0 }).expect(200);
  });

  it('keeps one factor when the last two are removed by two requests racing', async () => {
    const user = await createUser(api, 'auditor');
    const group = await createGroup(api, [user.id]);
    await setPolicy({ mode: 'selected', roles: [], groupIds: [group.id], graceDays: 1 }).expect(200);
    try {
      const session = await loginWith(api, user);
      const first = await enrolTotp(session, clock.now());
      clock.advance(30_000);
      const second = await enrolTotp(session, clock.now());
      const remove = (id: string) => session.agent.delete(`/api/v1/mfa/factors/${id}`).set('X-CSRF-Token', session.csrf);
      const answers = await Promise.all([remove(first.factorId), remove(second.factorId)]);
      expect(answers.map((a) => a.status).sort()).toEqual([204, 409]);
      expect(answers.find((a) => a.status === 409)!.body.code).toBe('MFA_FACTOR_REQUIRED');
      expect(await api.db.mfaFactor.count({ where: { userId: user.id, confirmedAt: { not: null } } })).toBe(1);
      expect(await api.db.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(10);
    } finally {
      await setPolicy({ mode: 'off', roles: [], groupIds: [], graceDays: 0 }).expect(200);
    }
  });
});

describe("an admin's reset of a user's factors", () => {
  it('removes every factor and recovery code, ends the sessions, and is audited; the user logs in with the password alone', async () => {
    const user = await createUser(api, 'operator');
    const session = await loginWith(api, user);
    await enrolTotp(session, clock.now());
    const before = await admin.agent.get(`/api/v1/users/${user.id}/mfa`).expect(200);
    expect(before.body).toMatchObject({ factors: [{ kind: 'totp' }], recoveryCodesLeft: 10 });
    const res = await admin.agent.delete(`/api/v1/users/${user.id}/mfa`).set('X-CSRF-Token', admin.csrf).expect(204);
    expect(await api.db.mfaFactor.count({ where: { userId: user.id } })).toBe(0);
    expect(await api.db.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
    await session.agent.get('/api/v1/auth/me').expect(401);
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'] } });
    expect(event).toMatchObject({
      action: 'mfa.reset',
      objectId: user.id,
      actorId: admin.user.id,
      details: { factorsRemoved: 1, recoveryCodesRemoved: 10, sessionsEnded: 1 },
    });
    const login = await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
    expect(login.body.csrfToken).toEqual(expect.any(String));
  });

  it('is refused to an operator, and to a token without users.manage', async () => {
    const target = await createUser(api, 'operator');
    const operator = await loginAs(api, 'operator');
    expect((await operator.agent.delete(`/api/v1/users/${target.id}/mfa`).set('X-CSRF-Token', operator.csrf)).status).toBe(403);
    const narrow = await bearerFor(api, 'admin', ['accounts.view']);
    expect((await api.request().delete(`/api/v1/users/${target.id}/mfa`).set('Authorization', `Bearer ${narrow}`)).status).toBe(403);
    expect((await admin.agent.delete('/api/v1/users/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c/mfa').set('X-CSRF-Token', admin.csrf)).status).toBe(404);
  });
});
