import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Test } from 'supertest';
import { bearerFor, createTestApi, createUser, type TestApi, type TestUser } from '../../test/harness.js';
import { createToken, loginWith } from '../../test/factories.js';
import { enrolTotp, testClock, totpAt } from './mfa.test-util.js';

const clock = testClock();
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ mfaClock: clock.now });
});
afterAll(async () => {
  await api.close();
});

async function passwordStep(user: TestUser) {
  const agent = api.request();
  const res = await agent.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  return { agent, body: res.body as { mfaRequired?: true; challenge: string; methods: string[]; csrfToken?: string }, res };
}

async function userWithTotp() {
  const user = await createUser(api, 'operator');
  const session = await loginWith(api, user);
  const enrolled = await enrolTotp(session, clock.now());
  clock.advance(30_000);
  return { user, session, ...enrolled };
}

describe('TOTP enrolment', () => {
  it('gives a QR code and a manual key; the secret is stored only sealed under the master key', async () => {
    const session = await loginWith(api, await createUser(api, 'operator'));
    const res = await session.agent.post('/api/v1/mfa/totp').set('X-CSRF-Token', session.csrf).send({ name: 'My phone' }).expect(201);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/PassMan:/);
    expect(res.body.otpauthUrl).toContain(`secret=${res.body.secret}`);
    expect(res.body.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    const row = await api.db.mfaFactor.findUniqueOrThrow({ where: { id: res.body.factorId } });
    expect(row.confirmedAt).toBeNull();
    expect(Buffer.from(row.secretCiphertext!).toString('latin1')).not.toContain(res.body.secret);
    expect(JSON.stringify(api.logLines)).not.toContain(res.body.secret);
    // Not yet a factor: the status lists none, and a login still needs only the password.
    expect((await session.agent.get('/api/v1/mfa').expect(200)).body.factors).toEqual([]);
  });

  it('a wrong first code does not confirm it; the right one does, issues 10 recovery codes once, and is audited', async () => {
    const user = await createUser(api, 'operator');
    const session = await loginWith(api, user);
    const start = await session.agent.post('/api/v1/mfa/totp').set('X-CSRF-Token', session.csrf).send({}).expect(201);
    const wrong = (Number(await totpAt(start.body.secret, clock.now())) + 1) % 1_000_000;
    const bad = await session.agent
      .post(`/api/v1/mfa/totp/${start.body.factorId}/confirm`)
      .set('X-CSRF-Token', session.csrf)
      .send({ code: String(wrong).padStart(6, '0') });
    expect([bad.status, bad.body.code]).toEqual([401, 'MFA_CODE_INVALID']);
    const ok = await session.agent
      .post(`/api/v1/mfa/totp/${start.body.factorId}/confirm`)
      .set('X-CSRF-Token', session.csrf)
      .send({ code: await totpAt(start.body.secret, clock.now()) })
      .expect(200);
    expect(ok.body.factor).toMatchObject({ id: start.body.factorId, kind: 'totp', name: 'Authenticator app' });
    expect(ok.body.recoveryCodes).toHaveLength(10);
    expect(new Set(ok.body.recoveryCodes).size).toBe(10);
    const stored = await api.db.mfaRecoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const code of ok.body.recoveryCodes as string[]) expect(JSON.stringify(stored)).not.toContain(code);
    const status = await session.agent.get('/api/v1/mfa').expect(200);
    expect(status.body).toMatchObject({ recoveryCodesLeft: 10, factors: [{ kind: 'totp' }] });
    const events = await api.db.auditEvent.findMany({ where: { objectId: user.id, action: { startsWith: 'mfa.' } } });
    expect(events.map((e) => e.action)).toEqual(['mfa.totp.enrol']);
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(start.body.secret);
  });

  it('refuses enrolment with an API token, even one with every scope of its user', async () => {
    const token = await bearerFor(api, 'admin');
    const res = await api.request().post('/api/v1/mfa/totp').set('Authorization', `Bearer ${token}`).send({});
    expect([res.status, res.body.code]).toEqual([403, 'MFA_SESSION_REQUIRED']);
    const narrow = await bearerFor(api, 'operator', ['accounts.view']);
    const options = await api.request().post('/api/v1/mfa/webauthn/registration-options').set('Authorization', `Bearer ${narrow}`);
    expect([options.status, options.body.code]).toEqual([403, 'MFA_SESSION_REQUIRED']);
  });

  it("refuses every change to the user's own factors with an API token: remove, rename, new recovery codes", async () => {
    const user = await createUser(api, 'operator');
    const session = await loginWith(api, user);
    const { token } = await createToken(api, session);
    const { factorId } = await enrolTotp(session, clock.now());
    clock.advance(30_000);
    const asToken = (req: Test) => req.set('Authorization', `Bearer ${token}`);
    const answers = [
      await asToken(api.request().delete(`/api/v1/mfa/factors/${factorId}`)),
      await asToken(api.request().patch(`/api/v1/mfa/factors/${factorId}`)).send({ name: 'stolen' }),
      await asToken(api.request().post('/api/v1/mfa/recovery-codes')),
    ];
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(3).fill([403, 'MFA_SESSION_REQUIRED']));
    expect(await api.db.mfaFactor.findUniqueOrThrow({ where: { id: factorId } })).toMatchObject({ name: 'Authenticator app' });
    expect(await api.db.mfaRecoveryCode.count({ where: { userId: user.id, usedAt: null } })).toBe(10);
  });

  it('two confirmations of one enrolment racing: one confirms it and gets the recovery codes, the other is refused', async () => {
    const session = await loginWith(api, await createUser(api, 'operator'));
    const start = await session.agent.post('/api/v1/mfa/totp').set('X-CSRF-Token', session.csrf).send({}).expect(201);
    const code = await totpAt(start.body.secret, clock.now());
    const confirm = () => session.agent.post(`/api/v1/mfa/totp/${start.body.factorId}/confirm`).set('X-CSRF-Token', session.csrf).send({ code });
    const answers = await Promise.all([confirm(), confirm()]);
    // The loser either lost the code (401) or found the enrolment already confirmed (404).
    const [won, lost] = [...answers].sort((a, b) => a.status - b.status);
    expect(won!.status).toBe(200);
    expect([401, 404]).toContain(lost!.status);
    expect(won!.body.recoveryCodes).toHaveLength(10);
    expect(await api.db.mfaRecoveryCode.count({ where: { userId: session.user.id } })).toBe(10);
    expect(await api.db.auditEvent.count({ where: { objectId: session.user.id, action: 'mfa.totp.enrol' } })).toBe(1);
    clock.advance(30_000);
  });

  it("cannot confirm another user's pending enrolment", async () => {
    const victim = await loginWith(api, await createUser(api, 'operator'));
    const start = await victim.agent.post('/api/v1/mfa/totp').set('X-CSRF-Token', victim.csrf).send({}).expect(201);
    const attacker = await loginWith(api, await createUser(api, 'operator'));
    const res = await attacker.agent
      .post(`/api/v1/mfa/totp/${start.body.factorId}/confirm`)
      .set('X-CSRF-Token', attacker.csrf)
      .send({ code: await totpAt(start.body.secret, clock.now()) });
    expect(res.status).toBe(404);
  });
});

describe('login with TOTP', () => {
  it('becomes two steps: the password gives a challenge, not a session; the code gives the session', async () => {
    const { user, secret } = await userWithTotp();
    const { agent, body, res } = await passwordStep(user);
    expect(body).toMatchObject({ mfaRequired: true, methods: ['totp', 'recovery-code'] });
    expect(res.headers['set-cookie']).toBeUndefined();
    await agent.get('/api/v1/auth/me').expect(401);
    const done = await agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: body.challenge, totpCode: await totpAt(secret, clock.now()) })
      .expect(200);
    expect(done.body.user.id).toBe(user.id);
    expect(String(done.headers['set-cookie'])).toMatch(/^passman_session=/);
    await agent.get('/api/v1/auth/me').expect(200);
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { requestId: done.headers['x-request-id'] } });
    expect(event).toMatchObject({ action: 'auth.login', outcome: 'success', details: { secondFactor: 'totp' } });
  });

  it('refuses a code used once already (replay), and accepts one step of drift either way', async () => {
    const { user, secret } = await userWithTotp();
    const first = await passwordStep(user);
    const code = await totpAt(secret, clock.now());
    await first.agent.post('/api/v1/auth/login/second-factor').send({ challenge: first.body.challenge, totpCode: code }).expect(200);
    const again = await passwordStep(user);
    const replay = await again.agent.post('/api/v1/auth/login/second-factor').send({ challenge: again.body.challenge, totpCode: code });
    expect([replay.status, replay.body.code]).toEqual([401, 'MFA_CODE_INVALID']);
    // The phone runs a step ahead: accepted. Two steps ahead: refused.
    const twoAhead = await again.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: again.body.challenge, totpCode: await totpAt(secret, clock.now(), 2) });
    expect(twoAhead.status).toBe(401);
    await again.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: again.body.challenge, totpCode: await totpAt(secret, clock.now(), 1) })
      .expect(200);
    // A step behind the clock is accepted too, once it is newer than the step last used.
    clock.advance(90_000);
    const third = await passwordStep(user);
    await third.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: third.body.challenge, totpCode: await totpAt(secret, clock.now(), -1) })
      .expect(200);
  });

  it('two requests racing with the same code: exactly one session', async () => {
    const { user, secret } = await userWithTotp();
    const a = await passwordStep(user);
    const b = await passwordStep(user);
    const code = await totpAt(secret, clock.now());
    const results = await Promise.all([
      a.agent.post('/api/v1/auth/login/second-factor').send({ challenge: a.body.challenge, totpCode: code }),
      b.agent.post('/api/v1/auth/login/second-factor').send({ challenge: b.body.challenge, totpCode: code }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("refuses another user's challenge, a used challenge and an expired one", async () => {
    const victim = await userWithTotp();
    const attacker = await userWithTotp();
    const victimStep = await passwordStep(victim.user);
    // The attacker's own valid code against the victim's challenge proves nothing.
    const stolen = await api
      .request()
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: victimStep.body.challenge, totpCode: await totpAt(attacker.secret, clock.now()) });
    expect([stolen.status, stolen.body.code]).toEqual([401, 'MFA_CODE_INVALID']);
    await victimStep.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: victimStep.body.challenge, totpCode: await totpAt(victim.secret, clock.now()) })
      .expect(200);
    clock.advance(30_000);
    const reused = await api
      .request()
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: victimStep.body.challenge, totpCode: await totpAt(victim.secret, clock.now()) });
    expect([reused.status, reused.body.code]).toEqual([401, 'MFA_CHALLENGE_INVALID']);
    const late = await passwordStep(victim.user);
    clock.advance(5 * 60_000 + 1_000);
    const expired = await late.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: late.body.challenge, totpCode: await totpAt(victim.secret, clock.now()) });
    expect([expired.status, expired.body.code]).toEqual([401, 'MFA_CHALLENGE_INVALID']);
    const forged = await api
      .request()
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: 'A'.repeat(43), totpCode: '123456' });
    expect([forged.status, forged.body.code]).toEqual([401, 'MFA_CHALLENGE_INVALID']);
  });

  it('refuses a right code for a user disabled after the password step', async () => {
    const { user, secret } = await userWithTotp();
    const step = await passwordStep(user);
    await api.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    const res = await step.agent.post('/api/v1/auth/login/second-factor').send({ challenge: step.body.challenge, totpCode: await totpAt(secret, clock.now()) });
    expect([res.status, res.body.code]).toEqual([401, 'MFA_CHALLENGE_INVALID']);
    await step.agent.get('/api/v1/auth/me').expect(401);
  });

  it('refuses the challenge once the password has changed since', async () => {
    const { user, secret } = await userWithTotp();
    const step = await passwordStep(user);
    await api.db.user.update({ where: { id: user.id }, data: { passwordHash: await api.services.hasher.hash('another-password-entirely') } });
    const res = await step.agent.post('/api/v1/auth/login/second-factor').send({ challenge: step.body.challenge, totpCode: await totpAt(secret, clock.now()) });
    expect([res.status, res.body.code]).toEqual([401, 'MFA_CHALLENGE_INVALID']);
  });

  it('throttles guessing: after five wrong codes from one source even the right code is refused', async () => {
    const { user, secret } = await userWithTotp();
    const step = await passwordStep(user);
    const ip = `10.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const right = await totpAt(secret, clock.now());
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await step.agent
        .post('/api/v1/auth/login/second-factor')
        .set('X-Forwarded-For', ip)
        .send({ challenge: step.body.challenge, totpCode: wrong });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const blocked = await step.agent
      .post('/api/v1/auth/login/second-factor')
      .set('X-Forwarded-For', ip)
      .send({ challenge: step.body.challenge, totpCode: right });
    expect([blocked.status, blocked.body.code]).toEqual([429, 'RATE_LIMITED']);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('recovery codes', () => {
  it('log in once each; a used one is refused; each use is audited with how many are left', async () => {
    const { user, recoveryCodes } = await userWithTotp();
    const [code] = recoveryCodes!;
    const first = await passwordStep(user);
    const ok = await first.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: first.body.challenge, recoveryCode: code!.toUpperCase().replace(/-/g, ' ') })
      .expect(200);
    expect(ok.body.user.id).toBe(user.id);
    const second = await passwordStep(user);
    const again = await second.agent.post('/api/v1/auth/login/second-factor').send({ challenge: second.body.challenge, recoveryCode: code });
    expect([again.status, again.body.code]).toEqual([401, 'MFA_CODE_INVALID']);
    const uses = await api.db.auditEvent.findMany({ where: { objectId: user.id, action: 'mfa.recovery-code.use' } });
    expect(uses.map((e) => e.details)).toEqual([{ recoveryCodesLeft: 9 }]);
  });

  it('one code in two logins racing: exactly one session, and one use audited', async () => {
    const { user, recoveryCodes } = await userWithTotp();
    const [a, b] = [await passwordStep(user), await passwordStep(user)];
    const results = await Promise.all(
      [a, b].map((step) => step.agent.post('/api/v1/auth/login/second-factor').send({ challenge: step.body.challenge, recoveryCode: recoveryCodes![0] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(await api.db.session.count({ where: { userId: user.id, secondFactorAt: { not: null } } })).toBe(1);
    const uses = await api.db.auditEvent.findMany({ where: { objectId: user.id, action: 'mfa.recovery-code.use' } });
    expect(uses.map((e) => e.details)).toEqual([{ recoveryCodesLeft: 9 }]);
  });

  it('regenerating replaces every old code', async () => {
    const { user, session, recoveryCodes } = await userWithTotp();
    const res = await session.agent.post('/api/v1/mfa/recovery-codes').set('X-CSRF-Token', session.csrf).expect(200);
    expect(res.body.codes).toHaveLength(10);
    const step = await passwordStep(user);
    const old = await step.agent.post('/api/v1/auth/login/second-factor').send({ challenge: step.body.challenge, recoveryCode: recoveryCodes![1] });
    expect(old.status).toBe(401);
    await step.agent.post('/api/v1/auth/login/second-factor').send({ challenge: step.body.challenge, recoveryCode: res.body.codes[0] }).expect(200);
  });
});

describe('managing factors', () => {
  it('renames and removes a factor (audited); without factors the login is one step again', async () => {
    const { user, session, factorId } = await userWithTotp();
    const renamed = await session.agent.patch(`/api/v1/mfa/factors/${factorId}`).set('X-CSRF-Token', session.csrf).send({ name: 'Work phone' }).expect(200);
    expect(renamed.body.name).toBe('Work phone');
    await session.agent.delete(`/api/v1/mfa/factors/${factorId}`).set('X-CSRF-Token', session.csrf).expect(204);
    expect(await api.db.mfaRecoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const step = await passwordStep(user);
    expect(step.body.csrfToken).toEqual(expect.any(String));
    const events = await api.db.auditEvent.findMany({ where: { objectId: user.id, action: { startsWith: 'mfa.' } }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['mfa.totp.enrol', 'mfa.factor.rename', 'mfa.factor.remove']);
    expect(events[1]!.details).toMatchObject({ before: 'Authenticator app', after: 'Work phone' });
  });

  it("cannot rename or remove another user's factor", async () => {
    const victim = await userWithTotp();
    const attacker = await loginWith(api, await createUser(api, 'admin'));
    expect((await attacker.agent.delete(`/api/v1/mfa/factors/${victim.factorId}`).set('X-CSRF-Token', attacker.csrf)).status).toBe(404);
    expect((await attacker.agent.patch(`/api/v1/mfa/factors/${victim.factorId}`).set('X-CSRF-Token', attacker.csrf).send({ name: 'x' })).status).toBe(404);
    expect(await api.db.mfaFactor.count({ where: { id: victim.factorId } })).toBe(1);
  });
});

describe('verifySecondFactor (for step-up)', () => {
  it('accepts a fresh code once and refuses it after', async () => {
    const { user, secret } = await userWithTotp();
    const ctx = { requestId: 'test-stepup', ip: '10.9.9.9', userAgent: null, actor: null };
    const code = await totpAt(secret, clock.now());
    await expect(api.services.mfa.verifySecondFactor(ctx, user.id, { totpCode: code })).resolves.toBe('totp');
    await expect(api.services.mfa.verifySecondFactor(ctx, user.id, { totpCode: code })).rejects.toMatchObject({ code: 'MFA_CODE_INVALID' });
  });
});
