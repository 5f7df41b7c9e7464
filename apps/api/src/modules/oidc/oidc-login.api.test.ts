import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUser, unique } from '../../test/harness.js';
import { createGroup } from '../../test/factories.js';
import { CONSOLE_URL, REDIRECT_URI, ssoLogin, startOidcWorld, type OidcWorld } from './oidc-api.test-util.js';

let world: OidcWorld;
beforeAll(async () => {
  world = await startOidcWorld();
  await world.configure();
});
afterAll(async () => {
  await world?.close();
});

const ssoEvents = (world: OidcWorld, requestId: string) => world.api.db.auditEvent.findMany({ where: { requestId }, orderBy: { seq: 'asc' } });
const failureOf = async (world: OidcWorld, location: string) => {
  const events = await world.api.db.auditEvent.findMany({ where: { action: 'auth.sso.login', outcome: 'failure' }, orderBy: { seq: 'desc' }, take: 1 });
  return { code: new URL(location).searchParams.get('ssoError'), reason: (events[0]?.details as { reason?: string; detail?: string }) ?? {} };
};

describe('single sign-on: the happy path', () => {
  it('creates the user on a first login with the mapped role, opens a session and audits it', async () => {
    const name = unique('sso-new').toLowerCase();
    world.provider.addAccount(`sub-${name}`, { preferred_username: name, name: 'New Person', roles: ['passman-operators'] });
    const { agent, location } = await ssoLogin(world, `sub-${name}`);
    expect(location).toBe(`${CONSOLE_URL}/`);
    const me = await agent.get('/api/v1/auth/me').expect(200);
    expect(me.body.user).toMatchObject({ username: name, displayName: 'New Person', role: 'operator' });

    const user = await world.api.db.user.findUniqueOrThrow({ where: { username: name }, include: { externalIdentities: true } });
    expect(user.externalIdentities).toEqual([expect.objectContaining({ provider: 'oidc', issuer: world.provider.issuer, subject: `sub-${name}` })]);
    // No password can ever log this user in.
    await world.api.request().post('/api/v1/auth/login').send({ username: name, password: '!oidc' }).expect(401);
    const events = await world.api.db.auditEvent.findMany({ where: { objectId: user.id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['user.create', 'success'],
      ['auth.sso.login', 'success'],
      ['auth.login', 'failure'],
    ]);
    expect(events[1]!.details).toMatchObject({ issuer: world.provider.issuer, subject: `sub-${name}`, mfaAtProvider: false });
  });

  it('builds the redirect URI from the settings, whatever Host the request names, and sends PKCE, state and nonce', async () => {
    const res = await world.api.request().get('/api/v1/auth/oidc/login').set('Host', 'evil.example').expect(302);
    const url = new URL(String(res.headers.location));
    expect(url.origin).toBe(world.provider.issuer);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/passman_oidc=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/oidc/);
    // The login under way is stored by the hash of the cookie only.
    const token = /passman_oidc=([\w-]+)/.exec(cookie)![1]!;
    expect(await world.api.db.oidcLoginState.count({ where: { browserHash: token } })).toBe(0);
  });

  it('applies the role and group mapping again on each login, with before and after in the audit trail', async () => {
    const name = unique('sso-map').toLowerCase();
    const [blue, red] = [await createGroup(world.api, [], { name: unique('sso-blue') }), await createGroup(world.api, [], { name: unique('sso-red') })];
    await world.configure({
      groupsClaim: 'groups',
      groupMapping: [
        { value: 'blue-team', groupId: blue.id },
        { value: 'red-team', groupId: red.id },
      ],
    });
    try {
      world.provider.addAccount(`sub-${name}`, { preferred_username: name, roles: ['passman-admins'], groups: ['blue-team'] });
      const first = await ssoLogin(world, `sub-${name}`);
      await first.agent.get('/api/v1/auth/me').expect(200);
      const user = await world.api.db.user.findUniqueOrThrow({ where: { username: name } });
      expect(user.roleName).toBe('admin');
      const groupsOf = async () => (await world.api.db.userGroupMember.findMany({ where: { userId: user.id } })).map((m) => m.groupId).sort();
      expect(await groupsOf()).toEqual([blue.id]);

      world.provider.addAccount(`sub-${name}`, { preferred_username: name, roles: ['passman-operators'], groups: ['red-team', 'unmapped'] });
      const second = await ssoLogin(world, `sub-${name}`);
      expect(second.location).toBe(`${CONSOLE_URL}/`);
      expect((await world.api.db.user.findUniqueOrThrow({ where: { id: user.id } })).roleName).toBe('operator');
      // The admin session of the first login ended with the role it was opened under.
      await first.agent.get('/api/v1/auth/me').expect(401);
      expect((await second.agent.get('/api/v1/auth/me').expect(200)).body.user.role).toBe('operator');
      expect(await groupsOf()).toEqual([red.id]);
      const events = await world.api.db.auditEvent.findMany({
        where: { objectId: user.id, action: { in: ['user.update', 'user.groups.sync'] } },
        orderBy: { seq: 'asc' },
      });
      expect(events.map((e) => [e.action, e.details])).toEqual([
        ['user.groups.sync', expect.objectContaining({ before: { groups: [] }, after: { groups: [blue.name] } })],
        ['user.update', expect.objectContaining({ before: { role: 'admin' }, after: { role: 'operator' }, source: 'oidc' })],
        ['user.groups.sync', expect.objectContaining({ before: { groups: [blue.name] }, after: { groups: [red.name] } })],
      ]);
    } finally {
      await world.configure();
    }
  });

  it('links an existing user by the linking claim on the first login, and later logins by the subject alone', async () => {
    const local = await createUser(world.api, 'operator');
    world.provider.addAccount(`sub-${local.username}`, { preferred_username: local.username, roles: ['passman-operators'] });
    await ssoLogin(world, `sub-${local.username}`);
    expect(await world.api.db.externalIdentity.findMany({ where: { userId: local.id } })).toEqual([
      expect.objectContaining({ provider: 'oidc', subject: `sub-${local.username}` }),
    ]);
    // The provider renames the person: the link by subject still finds the same user.
    world.provider.addAccount(`sub-${local.username}`, { preferred_username: 'someone-else', roles: ['passman-operators'] });
    const { agent } = await ssoLogin(world, `sub-${local.username}`);
    expect((await agent.get('/api/v1/auth/me').expect(200)).body.user.id).toBe(local.id);
  });

  it('says when the provider vouched for more than one factor, if the settings trust it', async () => {
    await world.configure({ trustProviderMfa: true, mfaAmrValues: ['mfa'] });
    try {
      const name = unique('sso-mfa').toLowerCase();
      world.provider.addAccount(`sub-${name}`, { preferred_username: name });
      world.provider.setAmr(['pwd', 'mfa']);
      await ssoLogin(world, `sub-${name}`);
      const login = await world.api.db.auditEvent.findFirstOrThrow({
        where: { action: 'auth.sso.login', outcome: 'success', details: { path: ['subject'], equals: `sub-${name}` } },
      });
      expect(login.details).toMatchObject({ mfaAtProvider: true });
    } finally {
      world.provider.setAmr(['pwd']);
      await world.configure();
    }
  });
});

describe('single sign-on: account takeover', () => {
  it('never links a user already linked to another subject', async () => {
    const local = await createUser(world.api, 'operator');
    world.provider.addAccount(`first-${local.username}`, { preferred_username: local.username });
    await ssoLogin(world, `first-${local.username}`);
    world.provider.addAccount(`second-${local.username}`, { preferred_username: local.username });
    const { location, agent } = await ssoLogin(world, `second-${local.username}`);
    expect(await failureOf(world, location)).toMatchObject({ code: 'OIDC_ACCOUNT_CONFLICT', reason: { reason: 'OIDC_ACCOUNT_CONFLICT' } });
    await agent.get('/api/v1/auth/me').expect(401);
    expect(await world.api.db.externalIdentity.count({ where: { userId: local.id } })).toBe(1);
  });

  it('never signs in the break-glass admin by single sign-on', async () => {
    const breakGlass = await createUser(world.api, 'admin');
    await world.configure({ breakGlassUsername: breakGlass.username });
    try {
      world.provider.addAccount(`sub-${breakGlass.username}`, { preferred_username: breakGlass.username, roles: ['passman-admins'] });
      const { location, agent } = await ssoLogin(world, `sub-${breakGlass.username}`);
      expect(new URL(location).searchParams.get('ssoError')).toBe('OIDC_ACCOUNT_CONFLICT');
      await agent.get('/api/v1/auth/me').expect(401);
      expect(await world.api.db.externalIdentity.count({ where: { userId: breakGlass.id } })).toBe(0);
    } finally {
      await world.configure();
    }
  });

  it('links by email only when the provider says the address is verified', async () => {
    await world.configure({ linkClaim: 'email' });
    try {
      const local = await createUser(world.api, 'operator');
      const email = `${local.username}@example.test`;
      await world.api.db.user.update({ where: { id: local.id }, data: { username: email } });
      world.provider.addAccount(`unverified-${local.username}`, { email, email_verified: false });
      const refused = await ssoLogin(world, `unverified-${local.username}`);
      expect(new URL(refused.location).searchParams.get('ssoError')).toBe('OIDC_EMAIL_NOT_VERIFIED');
      expect(await world.api.db.externalIdentity.count({ where: { userId: local.id } })).toBe(0);

      world.provider.addAccount(`verified-${local.username}`, { email, email_verified: true });
      const { agent } = await ssoLogin(world, `verified-${local.username}`);
      expect((await agent.get('/api/v1/auth/me').expect(200)).body.user.id).toBe(local.id);
    } finally {
      await world.configure();
    }
  });

  it('two first logins of one new person at once make one user and one link, and no error page', async () => {
    const name = unique('sso-race').toLowerCase();
    world.provider.addAccount(`sub-${name}`, { preferred_username: name });
    const browsers = await Promise.all(
      [0, 1].map(async () => {
        const agent = world.api.request();
        const start = await agent.get('/api/v1/auth/oidc/login').expect(302);
        return { agent, back: await world.provider.signIn(String(start.headers.location), `sub-${name}`) };
      }),
    );
    const results = await Promise.all(browsers.map(({ agent, back }) => agent.get(`/api/v1/auth/oidc/callback${back.search}`)));
    expect(results.map((r) => r.status)).toEqual([302, 302]);
    const outcomes = results.map((r) => new URL(String(r.headers.location)).searchParams.get('ssoError') ?? 'ok').sort();
    expect([
      ['ok', 'ok'],
      ['OIDC_ACCOUNT_CONFLICT', 'ok'],
    ]).toContainEqual(outcomes);
    const users = await world.api.db.user.findMany({ where: { username: name }, include: { externalIdentities: true } });
    expect(users).toHaveLength(1);
    expect(users[0]!.externalIdentities).toHaveLength(1);
  });

  it('refuses a disabled user', async () => {
    const local = await createUser(world.api, 'operator');
    world.provider.addAccount(`sub-${local.username}`, { preferred_username: local.username });
    await ssoLogin(world, `sub-${local.username}`);
    await world.api.db.user.update({ where: { id: local.id }, data: { disabledAt: new Date() } });
    const { location } = await ssoLogin(world, `sub-${local.username}`);
    expect(new URL(location).searchParams.get('ssoError')).toBe('OIDC_USER_DISABLED');
  });
});

describe('single sign-on: refused callbacks', () => {
  const account = () => {
    const name = unique('sso-bad').toLowerCase();
    world.provider.addAccount(`sub-${name}`, { preferred_username: name });
    return { sub: `sub-${name}`, name };
  };

  it('refuses a wrong state, and the login it belonged to cannot be finished afterwards', async () => {
    const { sub, name } = account();
    const agent = world.api.request();
    const start = await agent.get('/api/v1/auth/oidc/login').expect(302);
    const back = await world.provider.signIn(String(start.headers.location), sub);
    const forged = new URLSearchParams(back.search);
    forged.set('state', 'not-the-state-that-was-sent-000000');
    const res = await agent.get(`/api/v1/auth/oidc/callback?${forged}`).expect(302);
    expect(await failureOf(world, String(res.headers.location))).toMatchObject({
      code: 'OIDC_STATE_INVALID',
      reason: { detail: expect.stringMatching(/state/) },
    });
    await agent.get('/api/v1/auth/me').expect(401);
    const retry = await agent.get(`/api/v1/auth/oidc/callback${back.search}`).expect(302);
    expect(new URL(String(retry.headers.location)).searchParams.get('ssoError')).toBe('OIDC_STATE_INVALID');
    expect(await world.api.db.user.count({ where: { username: name } })).toBe(0);
  });

  it('refuses a callback in a browser that did not start the login (login CSRF)', async () => {
    const { sub } = account();
    const start = await world.api.request().get('/api/v1/auth/oidc/login').expect(302);
    const back = await world.provider.signIn(String(start.headers.location), sub);
    const victim = world.api.request();
    const res = await victim.get(`/api/v1/auth/oidc/callback${back.search}`).expect(302);
    expect(new URL(String(res.headers.location)).searchParams.get('ssoError')).toBe('OIDC_STATE_INVALID');
    await victim.get('/api/v1/auth/me').expect(401);
  });

  it('refuses a forged, oversized or garbage login cookie with the clear error, never a 500', async () => {
    const { sub } = account();
    const start = await world.api.request().get('/api/v1/auth/oidc/login').expect(302);
    const back = await world.provider.signIn(String(start.headers.location), sub);
    for (const cookie of ['x'.repeat(43), 'A'.repeat(6000), '%E0%A4%A', '"; Path=/', '']) {
      const res = await world.api.request().get(`/api/v1/auth/oidc/callback${back.search}`).set('Cookie', `passman_oidc=${cookie}`);
      expect(res.status).toBe(302);
      expect(new URL(String(res.headers.location)).searchParams.get('ssoError')).toBe('OIDC_STATE_INVALID');
    }
  });

  it('the same callback twice at once in one browser: one session at most', async () => {
    const { sub } = account();
    const agent = world.api.request();
    const start = await agent.get('/api/v1/auth/oidc/login').expect(302);
    const back = await world.provider.signIn(String(start.headers.location), sub);
    const cookie = String(start.headers['set-cookie']).split(';')[0]!;
    const answers = await Promise.all([0, 1].map(() => world.api.request().get(`/api/v1/auth/oidc/callback${back.search}`).set('Cookie', cookie)));
    const locations = answers.map((a) => String(a.headers.location)).sort();
    expect(locations).toEqual([`${CONSOLE_URL}/`, `${CONSOLE_URL}/login?ssoError=OIDC_STATE_INVALID`]);
    expect(answers.filter((a) => String(a.headers['set-cookie']).includes('passman_session=')).length).toBe(1);
  });

  it('refuses a replayed callback, and a replayed code under a fresh login', async () => {
    const { sub } = account();
    const first = await ssoLogin(world, sub);
    expect(first.location).toBe(`${CONSOLE_URL}/`);
    // The same callback again in the same browser: its login is used up.
    const again = await first.agent.get(`/api/v1/auth/oidc/callback${first.back.search}`).expect(302);
    expect(new URL(String(again.headers.location)).searchParams.get('ssoError')).toBe('OIDC_STATE_INVALID');

    // The same code with the state of a new login: the provider refuses the used code.
    const agent = world.api.request();
    const start = await agent.get('/api/v1/auth/oidc/login').expect(302);
    const params = new URLSearchParams(first.back.search);
    params.set('state', new URL(String(start.headers.location)).searchParams.get('state')!);
    const res = await agent.get(`/api/v1/auth/oidc/callback?${params}`).expect(302);
    expect(await failureOf(world, String(res.headers.location))).toMatchObject({
      code: 'OIDC_CODE_REJECTED',
      reason: { detail: expect.stringMatching(/invalid_grant/) },
    });
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('refuses an ID token made out to another client (wrong audience)', async () => {
    const { sub, name } = account();
    world.provider.tamperNextIdToken((claims) => ({ ...claims, aud: 'some-other-client' }));
    const { location, agent } = await ssoLogin(world, sub);
    expect(await failureOf(world, location)).toMatchObject({ code: 'OIDC_TOKEN_INVALID', reason: { detail: expect.stringMatching(/aud/) } });
    await agent.get('/api/v1/auth/me').expect(401);
    expect(await world.api.db.user.count({ where: { username: name } })).toBe(0);
  });

  it('refuses an expired ID token', async () => {
    const { sub } = account();
    const past = Math.floor(Date.now() / 1000) - 3_600;
    world.provider.tamperNextIdToken((claims) => ({ ...claims, iat: past - 600, exp: past }));
    const { location, agent } = await ssoLogin(world, sub);
    expect(await failureOf(world, location)).toMatchObject({ code: 'OIDC_TOKEN_INVALID', reason: { detail: expect.stringMatching(/exp/) } });
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('refuses an ID token whose nonce is not the one this login sent', async () => {
    const { sub } = account();
    world.provider.tamperNextIdToken((claims) => ({ ...claims, nonce: 'not-the-nonce-sent' }));
    const { location } = await ssoLogin(world, sub);
    expect(await failureOf(world, location)).toMatchObject({ code: 'OIDC_TOKEN_INVALID', reason: { detail: expect.stringMatching(/nonce/) } });
  });

  it('passes on an error the provider sent back, and audits every refusal without a token in it', async () => {
    const agent = world.api.request();
    const start = await agent.get('/api/v1/auth/oidc/login').expect(302);
    const state = new URL(String(start.headers.location)).searchParams.get('state')!;
    const res = await agent.get(`/api/v1/auth/oidc/callback?error=access_denied&error_description=User+cancelled&state=${state}`).expect(302);
    expect(new URL(String(res.headers.location)).searchParams.get('ssoError')).toBe('OIDC_PROVIDER_ERROR');
    const events = await ssoEvents(world, String(res.headers['x-request-id']));
    expect(events.map((e) => [e.action, e.outcome, (e.details as { reason: string }).reason])).toEqual([['auth.sso.login', 'failure', 'OIDC_PROVIDER_ERROR']]);
    const all = JSON.stringify(await world.api.db.auditEvent.findMany({ where: { action: 'auth.sso.login' }, select: { details: true } }));
    expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT
    expect(all).not.toContain(world.provider.clientSecret);
  });
});
