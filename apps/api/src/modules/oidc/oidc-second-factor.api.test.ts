import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { unique } from '../../test/harness.js';
import type { LoggedIn } from '../../test/factories.js';
import { enrolTotp, testClock, totpAt } from '../mfa/mfa.test-util.js';
import { CONSOLE_URL, ssoLogin, startOidcWorld, type OidcWorld } from './oidc-api.test-util.js';

const clock = testClock();
let world: OidcWorld;
beforeAll(async () => {
  world = await startOidcWorld({ mfaClock: clock.now });
  await world.configure();
});
afterAll(async () => {
  await world?.close();
});

const STEP = 30_000;
const cookiesOf = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []);

/** A user created by single sign-on who then enrolled an authenticator app in PassMan. */
async function ssoUserWithTotp() {
  const name = unique('sso-2fa').toLowerCase();
  world.provider.addAccount(`sub-${name}`, { preferred_username: name, roles: ['passman-operators'] });
  const first = await ssoLogin(world, `sub-${name}`);
  expect(first.location).toBe(`${CONSOLE_URL}/`);
  const me = await first.agent.get('/api/v1/auth/me').expect(200);
  const session = { agent: first.agent, csrf: me.body.csrfToken as string, user: me.body.user } as unknown as LoggedIn;
  const totp = await enrolTotp(session, clock.now());
  clock.advance(STEP);
  return { name, subject: `sub-${name}`, userId: me.body.user.id as string, ...totp };
}

describe('single sign-on for a user with a PassMan second factor', () => {
  it('opens no session until the second factor is proven, with the challenge only in an HttpOnly cookie', async () => {
    const user = await ssoUserWithTotp();
    const sessionsBefore = await world.api.db.session.count({ where: { userId: user.userId } });
    const { agent, location, back } = await ssoLogin(world, user.subject);
    expect(location).toBe(`${CONSOLE_URL}/login?mfa=sso`);
    await agent.get('/api/v1/auth/me').expect(401);
    expect(await world.api.db.session.count({ where: { userId: user.userId } })).toBe(sessionsBefore);

    // The callback's answer: the challenge in a cookie no script reads, sent only to the login routes.
    const callback = await world.api.db.auditEvent.findFirstOrThrow({
      where: { action: 'auth.sso.login', objectId: user.userId },
      orderBy: { seq: 'desc' },
    });
    expect(callback.details).toMatchObject({ mfaAtProvider: false, secondFactor: 'pending' });
    expect(back.search).not.toMatch(/challenge/);

    const pending = await agent.get('/api/v1/auth/login/pending').expect(200);
    expect(pending.body).toEqual({ mfaRequired: true, methods: ['totp', 'recovery-code'], expiresAt: expect.any(String) });

    const code = await totpAt(user.secret, clock.now());
    const wrong = await agent.post('/api/v1/auth/login/second-factor').send({ totpCode: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('MFA_CODE_INVALID');
    await agent.get('/api/v1/auth/me').expect(401);

    const ok = await agent.post('/api/v1/auth/login/second-factor').send({ totpCode: code });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ id: user.userId });
    expect(cookiesOf(ok).find((c) => c.startsWith('passman_login_challenge='))).toMatch(/^passman_login_challenge=;.*Max-Age=0/);
    await agent.get('/api/v1/auth/me').expect(200);

    const sessions = await world.api.db.session.findMany({ where: { userId: user.userId }, orderBy: { createdAt: 'desc' }, take: 1 });
    expect(sessions[0]!.secondFactorAt).not.toBeNull();
    const login = await world.api.db.auditEvent.findFirstOrThrow({
      where: { action: 'auth.login', objectId: user.userId, outcome: 'success' },
      orderBy: { seq: 'desc' },
    });
    expect(login.details).toMatchObject({ secondFactor: 'totp' });
  });

  it('sets the challenge cookie HttpOnly, SameSite=Strict and scoped to the login routes', async () => {
    const user = await ssoUserWithTotp();
    const agent = world.api.request();
    const start = await agent.get('/api/v1/auth/oidc/login').expect(302);
    const back = await world.provider.signIn(String(start.headers.location), user.subject);
    const res = await agent.get(`/api/v1/auth/oidc/callback${back.search}`).expect(302);
    const cookie = cookiesOf(res).find((c) => c.startsWith('passman_login_challenge='));
    expect(cookie).toMatch(/^passman_login_challenge=[\w-]{20,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/login/);
    expect(cookiesOf(res).some((c) => c.startsWith('passman_session='))).toBe(false);
    // Stored by its hash only: the database does not hold what the browser holds.
    const token = /passman_login_challenge=([\w-]+)/.exec(cookie!)![1]!;
    expect(await world.api.db.mfaChallenge.count({ where: { tokenHash: token } })).toBe(0);
  });

  it('spends the challenge once: a second proof, another browser without the cookie, or no challenge at all are refused', async () => {
    const user = await ssoUserWithTotp();
    const { agent } = await ssoLogin(world, user.subject);
    await world.api.request().get('/api/v1/auth/login/pending').expect(401);
    const stranger = await world.api.request().post('/api/v1/auth/login/second-factor').send({ recoveryCode: user.recoveryCodes![0] });
    expect(stranger.status).toBe(401);
    expect(stranger.body.code).toBe('MFA_CHALLENGE_INVALID');

    await agent.post('/api/v1/auth/login/second-factor').send({ recoveryCode: user.recoveryCodes![0] }).expect(200);
    const again = await agent.post('/api/v1/auth/login/second-factor').send({ recoveryCode: user.recoveryCodes![1] });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('MFA_CHALLENGE_INVALID');
    await agent.get('/api/v1/auth/login/pending').expect(401);
  });

  it('expires with the challenge: a browser that waits too long starts over', async () => {
    const user = await ssoUserWithTotp();
    const { agent } = await ssoLogin(world, user.subject);
    clock.advance(6 * 60_000);
    const late = await agent.post('/api/v1/auth/login/second-factor').send({ totpCode: await totpAt(user.secret, clock.now()) });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('MFA_CHALLENGE_INVALID');
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('trusts the provider instead, where the settings say so and the provider vouches it asked for a second factor', async () => {
    const user = await ssoUserWithTotp();
    await world.configure({ trustProviderMfa: true, mfaAmrValues: ['mfa'] });
    try {
      world.provider.setAmr(['pwd', 'mfa']);
      const { agent, location } = await ssoLogin(world, user.subject);
      expect(location).toBe(`${CONSOLE_URL}/`);
      await agent.get('/api/v1/auth/me').expect(200);
      const [session] = await world.api.db.session.findMany({ where: { userId: user.userId }, orderBy: { createdAt: 'desc' }, take: 1 });
      // The provider's second factor counts as one proven at login (step-up, token creation).
      expect(session!.secondFactorAt).not.toBeNull();

      // Trusted, but this time the provider did not ask for one: PassMan does.
      world.provider.setAmr(['pwd']);
      expect((await ssoLogin(world, user.subject)).location).toBe(`${CONSOLE_URL}/login?mfa=sso`);
    } finally {
      world.provider.setAmr(['pwd']);
      await world.configure();
    }
  });

  it('opens a session at once for a single sign-on user without a second factor, with none recorded', async () => {
    const name = unique('sso-plain').toLowerCase();
    world.provider.addAccount(`sub-${name}`, { preferred_username: name });
    const { agent, location } = await ssoLogin(world, `sub-${name}`);
    expect(location).toBe(`${CONSOLE_URL}/`);
    const me = await agent.get('/api/v1/auth/me').expect(200);
    const [session] = await world.api.db.session.findMany({ where: { userId: me.body.user.id } });
    expect(session!.secondFactorAt).toBeNull();
  });
});
