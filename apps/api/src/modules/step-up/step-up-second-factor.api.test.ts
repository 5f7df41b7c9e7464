import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { loginWith } from '../../test/factories.js';
import { createTestApi, createUser, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newUser } from '../jobs/jobs.test-util.js';
import { enrolTotp, testClock, totpAt } from '../mfa/mfa.test-util.js';
import { softAuthenticator } from '../mfa/soft-authenticator.test-util.js';

// Step-up with a second factor: re-authenticating with a TOTP or recovery code, and creating an
// API token, which needs a fresh second factor from a user who has one. Two clocks: the second
// factors' (TOTP steps) and step-up's, moved past any window so no test waits.

const PAST_ANY_WINDOW_MS = 25 * 3_600_000;
const ORIGIN = 'https://passman.test:8443';
const RP_ID = 'passman.test';
const clock = testClock();
let offsetMs = 0;
let pm: TestApi;

beforeAll(async () => {
  pm = await createTestApi({
    webauthn: { rpId: RP_ID, rpName: 'PassMan', origins: [ORIGIN] },
    mfaClock: clock.now,
    stepUpNow: () => new Date(Date.now() + offsetMs),
  });
});
afterAll(async () => {
  await pm?.close();
});
beforeEach(() => {
  offsetMs = 0;
});

const sourceIp = () => `10.78.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const reauthWith = (who: LoggedIn, proof: object, ip = sourceIp()) =>
  who.agent.post('/api/v1/auth/reauth').set('X-CSRF-Token', who.csrf).set('X-Forwarded-For', ip).send({ method: 'second-factor', proof });
const createToken = (who: LoggedIn) => client(who).post('/tokens', { name: newUser('tok'), scopes: ['accounts.view'] });

/** An admin (who may create tokens) with a confirmed authenticator app, logged in with the password alone before enrolling. */
async function adminWithTotp() {
  const user = await createUser(pm, 'admin');
  const session = await loginWith(pm, user);
  const enrolled = await enrolTotp(session, clock.now());
  clock.advance(30_000);
  return { user, session, ...enrolled };
}

const wrongCode = (right: string) => String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');

describe('re-authenticating with a second factor', () => {
  it('lists the second factors beside the password; a TOTP code re-authenticates a stale session and is audited', async () => {
    const { session, secret } = await adminWithTotp();
    offsetMs = PAST_ANY_WINDOW_MS;
    const status = (await session.agent.get('/api/v1/auth/step-up').expect(200)).body;
    expect(status).toMatchObject({ fresh: false, methods: ['password', 'totp', 'recovery-code'], secondFactorAt: null });
    const code = await totpAt(secret, clock.now());
    const res = await reauthWith(session, { totpCode: code });
    expect(res.status).toBe(200);
    expect(res.body.fresh).toBe(true);
    expect(res.body.secondFactorAt).not.toBeNull();
    const event = await pm.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'], action: 'auth.reauth' } });
    expect(event).toMatchObject({ outcome: 'success', details: { method: 'totp' } });
    expect(JSON.stringify(event.details)).not.toContain(code);
  });

  it('refuses a wrong code and a replayed one (STEP_UP_FAILED, audited), leaving the session stale', async () => {
    const { session, secret } = await adminWithTotp();
    offsetMs = PAST_ANY_WINDOW_MS;
    const right = await totpAt(secret, clock.now());
    const wrong = await reauthWith(session, { totpCode: wrongCode(right) });
    expect([wrong.status, wrong.body.code]).toEqual([403, 'STEP_UP_FAILED']);
    const failure = await pm.db.auditEvent.findFirstOrThrow({ where: { requestId: wrong.headers['x-request-id'], action: 'auth.reauth' } });
    expect(failure).toMatchObject({ outcome: 'failure', details: { method: 'second-factor', reason: 'wrong-proof' } });
    expect(await pm.db.auditEvent.count({ where: { requestId: wrong.headers['x-request-id'], action: 'mfa.verify', outcome: 'failure' } })).toBe(1);
    expect((await session.agent.get('/api/v1/auth/step-up').expect(200)).body).toMatchObject({ fresh: false, secondFactorAt: null });

    await reauthWith(session, { totpCode: right }).expect(200);
    const replay = await reauthWith(session, { totpCode: right });
    expect([replay.status, replay.body.code]).toEqual([403, 'STEP_UP_FAILED']);
  });

  it('throttles guessing: after five wrong codes from one source even the right code is refused (429)', async () => {
    const { session, secret } = await adminWithTotp();
    const ip = sourceIp();
    const right = await totpAt(secret, clock.now());
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await reauthWith(session, { totpCode: wrongCode(right) }, ip)).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    const blocked = await reauthWith(session, { totpCode: right }, ip);
    expect([blocked.status, blocked.body.code]).toEqual([429, 'RATE_LIMITED']);
  });

  it('accepts a recovery code once', async () => {
    const { session, recoveryCodes } = await adminWithTotp();
    const [code] = recoveryCodes!;
    offsetMs = PAST_ANY_WINDOW_MS;
    const ok = await reauthWith(session, { recoveryCode: code });
    expect(ok.status).toBe(200);
    const event = await pm.db.auditEvent.findFirstOrThrow({ where: { requestId: ok.headers['x-request-id'], action: 'auth.reauth' } });
    expect(event.details).toEqual({ method: 'recovery-code' });
    const again = await reauthWith(session, { recoveryCode: code });
    expect([again.status, again.body.code]).toEqual([403, 'STEP_UP_FAILED']);
  });

  it('accepts a passkey assertion over step-up options once; the options are for this session’s user only', async () => {
    const user = await createUser(pm, 'admin');
    const session = await loginWith(pm, user);
    const key = softAuthenticator();
    const registration = await session.agent.post('/api/v1/mfa/webauthn/registration-options').set('X-CSRF-Token', session.csrf).expect(200);
    await session.agent
      .post('/api/v1/mfa/webauthn')
      .set('X-CSRF-Token', session.csrf)
      .send({ name: 'key', credential: key.register(registration.body, ORIGIN) })
      .expect(201);
    expect((await session.agent.get('/api/v1/auth/step-up').expect(200)).body.methods).toEqual(['password', 'webauthn', 'recovery-code']);
    const refused = await createToken(session);
    expect([refused.status, refused.body.methods]).toEqual([403, ['webauthn', 'recovery-code']]);

    const options = await session.agent.post('/api/v1/auth/reauth/webauthn-options').set('X-CSRF-Token', session.csrf).send({}).expect(200);
    const assertion = key.assert(options.body, ORIGIN, RP_ID);
    const ok = await reauthWith(session, { webauthn: assertion });
    expect(ok.status).toBe(200);
    const event = await pm.db.auditEvent.findFirstOrThrow({ where: { requestId: ok.headers['x-request-id'], action: 'auth.reauth' } });
    expect(event.details).toEqual({ method: 'webauthn' });
    expect((await createToken(session)).status).toBe(201);
    const replay = await reauthWith(session, { webauthn: assertion });
    expect([replay.status, replay.body.code]).toEqual([403, 'STEP_UP_FAILED']);

    // Another user's session cannot spend this user's assertion.
    const other = await loginWith(pm, await createUser(pm, 'admin'));
    const fresh = await session.agent.post('/api/v1/auth/reauth/webauthn-options').set('X-CSRF-Token', session.csrf).send({}).expect(200);
    const stolen = await reauthWith(other, { webauthn: key.assert(fresh.body, ORIGIN, RP_ID) });
    expect([stolen.status, stolen.body.code]).toEqual([403, 'STEP_UP_FAILED']);
  });

  it('refuses a second factor for a user who has none, and malformed proofs with 422', async () => {
    const session = await loginWith(pm, await createUser(pm, 'operator'));
    const none = await reauthWith(session, { totpCode: '123456' });
    expect([none.status, none.body.code]).toEqual([403, 'STEP_UP_FAILED']);
    expect((await reauthWith(session, { totpCode: '123456', recoveryCode: 'abcd-efgh-ijkl' })).status).toBe(422);
    expect((await reauthWith(session, {})).status).toBe(422);
    const options = await session.agent.post('/api/v1/auth/reauth/webauthn-options').set('X-CSRF-Token', session.csrf).send({});
    expect([options.status, options.body.code]).toEqual([422, 'UNPROCESSABLE']);
  });

  it('passkey options need the session’s CSRF token', async () => {
    const session = await loginWith(pm, await createUser(pm, 'operator'));
    const res = await session.agent.post('/api/v1/auth/reauth/webauthn-options').send({});
    expect(res.status).toBe(403);
  });
});

describe('creating an API token', () => {
  it('from a user with a second factor is refused after only a password, listing only second factors; allowed after a TOTP re-auth', async () => {
    const { session, user, secret } = await adminWithTotp();
    const first = await createToken(session);
    expect([first.status, first.body.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(first.body.methods).toEqual(['totp', 'recovery-code']);
    await client(session).post('/auth/reauth', { method: 'password', password: user.password }).expect(200);
    const afterPassword = await createToken(session);
    expect([afterPassword.status, afterPassword.body.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(await pm.db.apiToken.count({ where: { userId: user.id } })).toBe(0);

    await reauthWith(session, { totpCode: await totpAt(secret, clock.now()) }).expect(200);
    expect((await createToken(session)).status).toBe(201);
    // The second factor, too, goes stale past the window.
    offsetMs = PAST_ANY_WINDOW_MS;
    const stale = await createToken(session);
    expect([stale.status, stale.body.methods]).toEqual([403, ['totp', 'recovery-code']]);
  });

  it('goes through at once after a login with a second factor', async () => {
    const { user, secret } = await adminWithTotp();
    const agent = pm.request();
    const step = await agent.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
    const done = await agent
      .post('/api/v1/auth/login/second-factor')
      .send({ challenge: step.body.challenge, totpCode: await totpAt(secret, clock.now()) })
      .expect(200);
    const session: LoggedIn = { user, agent, csrf: done.body.csrfToken as string };
    expect((await createToken(session)).status).toBe(201);
  });

  it('from a user without a second factor needs only a fresh login or password, as before', async () => {
    const user = await createUser(pm, 'admin');
    const session = await loginWith(pm, user);
    expect((await createToken(session)).status).toBe(201);
    offsetMs = PAST_ANY_WINDOW_MS;
    const stale = await createToken(session);
    expect([stale.status, stale.body.methods]).toEqual([403, ['password']]);
    await client(session).post('/auth/reauth', { method: 'password', password: user.password }).expect(200);
    expect((await createToken(session)).status).toBe(201);
  });
});
