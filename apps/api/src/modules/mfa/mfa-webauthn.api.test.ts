import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, createUser, type TestApi, type TestUser } from '../../test/harness.js';
import { loginWith, type LoggedIn } from '../../test/factories.js';
import { softAuthenticator, type SoftAuthenticator } from './soft-authenticator.test-util.js';

const ORIGIN = 'https://passman.test:8443';
const RP_ID = 'passman.test';
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ webauthn: { rpId: RP_ID, rpName: 'PassMan', origins: [ORIGIN] } });
});
afterAll(async () => {
  await api.close();
});

async function register(session: LoggedIn, authenticator: SoftAuthenticator, name: string, origin = ORIGIN) {
  const options = await session.agent.post('/api/v1/mfa/webauthn/registration-options').set('X-CSRF-Token', session.csrf).expect(200);
  return session.agent
    .post('/api/v1/mfa/webauthn')
    .set('X-CSRF-Token', session.csrf)
    .send({ name, credential: authenticator.register(options.body, origin) });
}

async function passwordStep(user: TestUser) {
  const agent = api.request();
  const res = await agent.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  return { agent, challenge: res.body.challenge as string, methods: res.body.methods as string[] };
}

async function loginWithKey(user: TestUser, authenticator: SoftAuthenticator, origin = ORIGIN) {
  const step = await passwordStep(user);
  const options = await step.agent.post('/api/v1/auth/login/webauthn-options').send({ challenge: step.challenge }).expect(200);
  const res = await step.agent
    .post('/api/v1/auth/login/second-factor')
    .send({ challenge: step.challenge, webauthn: authenticator.assert(options.body, origin, RP_ID) });
  return { ...step, res };
}

describe('passkeys', () => {
  it('registers several authenticators, names them, logs in with either, and removes one', async () => {
    const user = await createUser(api, 'operator');
    const session = await loginWith(api, user);
    const first = softAuthenticator();
    const second = softAuthenticator();
    const one = await register(session, first, 'YubiKey');
    expect(one.status).toBe(201);
    expect(one.body.factor).toMatchObject({ kind: 'webauthn', name: 'YubiKey' });
    expect(one.body.recoveryCodes).toHaveLength(10);
    const two = await register(session, second, 'Laptop');
    expect([two.status, two.body.recoveryCodes]).toEqual([201, null]);
    const status = await session.agent.get('/api/v1/mfa').expect(200);
    expect(status.body.factors.map((f: { name: string }) => f.name)).toEqual(['YubiKey', 'Laptop']);

    const a = await loginWithKey(user, first);
    expect(a.methods).toEqual(['webauthn', 'recovery-code']);
    expect(a.res.status).toBe(200);
    await a.agent.get('/api/v1/auth/me').expect(200);
    expect((await loginWithKey(user, second)).res.status).toBe(200);

    await session.agent.patch(`/api/v1/mfa/factors/${two.body.factor.id}`).set('X-CSRF-Token', session.csrf).send({ name: 'Work laptop' }).expect(200);
    await session.agent.delete(`/api/v1/mfa/factors/${two.body.factor.id}`).set('X-CSRF-Token', session.csrf).expect(204);
    const gone = await loginWithKey(user, second);
    expect([gone.res.status, gone.res.body.code]).toEqual([401, 'MFA_CODE_INVALID']);
    const actions = (await api.db.auditEvent.findMany({ where: { objectId: user.id, action: { startsWith: 'mfa.' } }, orderBy: { seq: 'asc' } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(['mfa.webauthn.register', 'mfa.webauthn.register', 'mfa.factor.rename', 'mfa.factor.remove']);
  });

  it('refuses a registration signed for another origin, a reused registration challenge and a key registered twice', async () => {
    const session = await loginWith(api, await createUser(api, 'operator'));
    const key = softAuthenticator();
    const phishing = await register(session, key, 'k', 'https://passman.test.evil.example');
    expect(phishing.status).toBe(401);
    const options = await session.agent.post('/api/v1/mfa/webauthn/registration-options').set('X-CSRF-Token', session.csrf).expect(200);
    const credential = key.register(options.body, ORIGIN);
    await session.agent.post('/api/v1/mfa/webauthn').set('X-CSRF-Token', session.csrf).send({ name: 'k', credential }).expect(201);
    const again = await session.agent.post('/api/v1/mfa/webauthn').set('X-CSRF-Token', session.csrf).send({ name: 'k', credential });
    expect([again.status, again.body.code]).toEqual([401, 'MFA_CHALLENGE_INVALID']);
    expect((await register(session, key, 'k again')).status).toBe(409);
  });

  it("cannot register with another user's registration challenge", async () => {
    const victim = await loginWith(api, await createUser(api, 'operator'));
    const attacker = await loginWith(api, await createUser(api, 'operator'));
    const options = await victim.agent.post('/api/v1/mfa/webauthn/registration-options').set('X-CSRF-Token', victim.csrf).expect(200);
    const res = await attacker.agent
      .post('/api/v1/mfa/webauthn')
      .set('X-CSRF-Token', attacker.csrf)
      .send({ name: 'x', credential: softAuthenticator().register(options.body, ORIGIN) });
    expect([res.status, res.body.code]).toEqual([401, 'MFA_CHALLENGE_INVALID']);
  });

  it("refuses an assertion of another user's key, a replayed assertion, and one signed for another origin", async () => {
    const victim = await createUser(api, 'operator');
    const attacker = await createUser(api, 'operator');
    const victimKey = softAuthenticator();
    const attackerKey = softAuthenticator();
    await register(await loginWith(api, victim), victimKey, 'v');
    await register(await loginWith(api, attacker), attackerKey, 'a');
    // The attacker's own key against the victim's login challenge.
    const step = await passwordStep(victim);
    const options = await step.agent.post('/api/v1/auth/login/webauthn-options').send({ challenge: step.challenge }).expect(200);
    const foreign = await step.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: step.challenge, webauthn: attackerKey.assert(options.body, ORIGIN, RP_ID) });
    expect(foreign.status).toBe(401);
    const wrongOrigin = await step.agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: step.challenge, webauthn: victimKey.assert(options.body, 'https://evil.example', RP_ID) });
    expect(wrongOrigin.status).toBe(401);
    const assertion = victimKey.assert(options.body, ORIGIN, RP_ID);
    await step.agent.post('/api/v1/auth/login/second-factor').send({ challenge: step.challenge, webauthn: assertion }).expect(200);
    // The same signed assertion on a new login: its challenge is not the new one.
    const next = await passwordStep(victim);
    await next.agent.post('/api/v1/auth/login/webauthn-options').send({ challenge: next.challenge }).expect(200);
    const replay = await next.agent.post('/api/v1/auth/login/second-factor').send({ challenge: next.challenge, webauthn: assertion });
    expect(replay.status).toBe(401);
  });

  it('verifySecondFactor accepts an assertion over step-up options once', async () => {
    const user = await createUser(api, 'operator');
    const key = softAuthenticator();
    await register(await loginWith(api, user), key, 'k');
    const options = await api.services.secondFactor.stepUpWebAuthnOptions(user.id);
    const assertion = key.assert(options, ORIGIN, RP_ID);
    const ctx = { requestId: 'test-stepup', ip: '10.8.8.8', userAgent: null, actor: null };
    await expect(api.services.mfa.verifySecondFactor(ctx, user.id, { webauthn: assertion })).resolves.toBe('webauthn');
    await expect(api.services.mfa.verifySecondFactor(ctx, user.id, { webauthn: assertion })).rejects.toMatchObject({ code: 'MFA_CODE_INVALID' });
  });
});
