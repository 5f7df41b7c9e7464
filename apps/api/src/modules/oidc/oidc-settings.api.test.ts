import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createUser, loginAs } from '../../test/harness.js';
import { loginWith } from '../../test/factories.js';
import { baseSettings, REDIRECT_URI, ssoLogin, startOidcWorld, type OidcWorld } from './oidc-api.test-util.js';

let world: OidcWorld;
beforeAll(async () => {
  world = await startOidcWorld();
});
afterAll(async () => {
  await world?.close();
});

const put = (body: object) => world.admin.agent.put('/api/v1/settings/oidc').set('X-CSRF-Token', world.admin.csrf).send(body);

describe('OIDC settings', () => {
  it('keeps the client secret write-only and encrypted under the master key, and audits the change without it', async () => {
    const res = await put(baseSettings(world.provider)).expect(200);
    expect(res.body).toMatchObject({ enabled: true, clientSecretSet: true, redirectUri: REDIRECT_URI, issuer: world.provider.issuer });
    expect(JSON.stringify(res.body)).not.toContain(world.provider.clientSecret);
    const got = await world.admin.agent.get('/api/v1/settings/oidc').expect(200);
    expect(got.body.clientSecretSet).toBe(true);
    expect(JSON.stringify(got.body)).not.toContain(world.provider.clientSecret);
    const stored = JSON.stringify(await world.api.db.systemSetting.findMany());
    expect(stored).not.toContain(world.provider.clientSecret);
    expect(stored).not.toContain(Buffer.from(world.provider.clientSecret).toString('base64'));
    const events = await world.api.db.auditEvent.findMany({ where: { action: 'settings.oidc.update' } });
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)!.details).toMatchObject({ clientSecret: 'replaced', after: { issuer: world.provider.issuer } });
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(world.provider.clientSecret);

    // Saving again without a secret keeps the stored one: logins still work.
    const withoutSecret: Partial<ReturnType<typeof baseSettings>> = baseSettings(world.provider);
    delete withoutSecret.clientSecret;
    await put({ ...withoutSecret, providerName: 'Renamed IdP' }).expect(200);
    world.provider.addAccount('sub-keep-secret', { preferred_username: 'keep-secret-user' });
    const { agent } = await ssoLogin(world, 'sub-keep-secret');
    await agent.get('/api/v1/auth/me').expect(200);
    const options = await world.api.request().get('/api/v1/auth/login-options').expect(200);
    expect(options.body).toEqual({ sso: { providerName: 'Renamed IdP', loginUrl: '/api/v1/auth/oidc/login' }, localLoginEnabled: true });
  });

  it('is for administrators only', async () => {
    const operator = await loginAs(world.api, 'operator');
    await operator.agent.get('/api/v1/settings/oidc').expect(403);
    await operator.agent.put('/api/v1/settings/oidc').set('X-CSRF-Token', operator.csrf).send(baseSettings(world.provider)).expect(403);
    await operator.agent.post('/api/v1/settings/oidc/test').set('X-CSRF-Token', operator.csrf).send({ issuer: world.provider.issuer }).expect(403);
    await world.api.request().get('/api/v1/settings/oidc').expect(401);
  });

  it('refuses settings that would not work, naming every field, and changes nothing', async () => {
    const before = await world.admin.agent.get('/api/v1/settings/oidc').expect(200);
    const res = await put({ ...baseSettings(world.provider), issuer: '', clientId: '', clientSecret: null, scopes: ['profile'] }).expect(422);
    expect(res.body.code).toBe('OIDC_SETTINGS_INVALID');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.clientId', 'body.clientSecret', 'body.issuer', 'body.scopes']);
    const plainHttp = await put({ ...baseSettings(world.provider), issuer: 'http://idp.example.com' }).expect(422);
    expect(plainHttp.body.errors).toEqual([expect.objectContaining({ path: 'body.issuer', message: expect.stringMatching(/https/) })]);
    expect((await world.admin.agent.get('/api/v1/settings/oidc').expect(200)).body).toEqual(before.body);
  });

  it('refuses fields over their limits with 422, never storing a part', async () => {
    const before = await world.admin.agent.get('/api/v1/settings/oidc').expect(200);
    const base = baseSettings(world.provider);
    for (const oversized of [
      { providerName: 'x'.repeat(10_000) },
      { clientId: 'c'.repeat(100_000) },
      { scopes: Array.from({ length: 500 }, (_, i) => `scope${i}`) },
      { roleMapping: Array.from({ length: 5_000 }, (_, i) => ({ value: `v${i}`, role: 'operator' })) },
      { caCertificates: '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(2_000_000) },
    ]) {
      const res = await put({ ...base, ...oversized });
      expect([413, 422]).toContain(res.status);
      expect(res.body.code).toEqual(expect.any(String));
    }
    expect((await world.admin.agent.get('/api/v1/settings/oidc').expect(200)).body).toEqual(before.body);
  });
});

describe('turning local login off', () => {
  it('refuses without a break-glass admin, with one who is not an admin, or while the provider is unreachable', async () => {
    const noBreakGlass = await put({ ...baseSettings(world.provider), localLoginEnabled: false }).expect(422);
    expect(noBreakGlass.body.errors).toEqual([expect.objectContaining({ path: 'body.breakGlassUsername' })]);
    const operator = await createUser(world.api, 'operator');
    const notAdmin = await put({ ...baseSettings(world.provider), localLoginEnabled: false, breakGlassUsername: operator.username }).expect(422);
    expect(notAdmin.body.errors).toEqual([expect.objectContaining({ path: 'body.breakGlassUsername', message: 'must be an admin' })]);

    const closed = createServer((_req, res) => res.writeHead(500).end()).listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const deadIssuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    closed.close();
    const admin = await createUser(world.api, 'admin');
    const unreachable = await put({ ...baseSettings(world.provider), issuer: deadIssuer, localLoginEnabled: false, breakGlassUsername: admin.username }).expect(
      422,
    );
    expect(unreachable.body.errors).toEqual([expect.objectContaining({ path: 'body.issuer', message: expect.stringMatching(/cannot be reached/) })]);
    await world.api.request().post('/api/v1/auth/login').send({ username: admin.username, password: admin.password }).expect(200);
  });

  it('lets only the break-glass admin log in with a password, refusing everyone else with a stable code once the password is right', async () => {
    const breakGlass = await createUser(world.api, 'admin');
    const otherAdmin = await createUser(world.api, 'admin');
    await put({ ...baseSettings(world.provider), localLoginEnabled: false, breakGlassUsername: breakGlass.username }).expect(200);
    try {
      const refused = await world.api.request().post('/api/v1/auth/login').send({ username: otherAdmin.username, password: otherAdmin.password }).expect(403);
      expect(refused.body.code).toBe('OIDC_LOCAL_LOGIN_DISABLED');
      // A wrong password still reads as a wrong password: the answer does not tell who the break-glass admin is.
      const wrong = await world.api.request().post('/api/v1/auth/login').send({ username: otherAdmin.username, password: 'not-the-password' }).expect(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      const events = await world.api.db.auditEvent.findMany({ where: { requestId: String(refused.headers['x-request-id']) } });
      expect(events.map((e) => [e.action, e.outcome, (e.details as { reason: string }).reason])).toEqual([['auth.login', 'failure', 'local-login-disabled']]);

      await world.api.request().post('/api/v1/auth/login').send({ username: breakGlass.username, password: breakGlass.password }).expect(200);
      const options = await world.api.request().get('/api/v1/auth/login-options').expect(200);
      expect(options.body.localLoginEnabled).toBe(false);
      // Single sign-on still works for everyone else.
      world.provider.addAccount('sub-after-off', { preferred_username: 'after-off-user' });
      const { agent } = await ssoLogin(world, 'sub-after-off');
      await agent.get('/api/v1/auth/me').expect(200);
    } finally {
      const admin = await loginWith(world.api, breakGlass);
      await admin.agent.put('/api/v1/settings/oidc').set('X-CSRF-Token', admin.csrf).send(baseSettings(world.provider)).expect(200);
    }
    await world.api.request().post('/api/v1/auth/login').send({ username: otherAdmin.username, password: otherAdmin.password }).expect(200);
  });

  it('keeps the break-glass admin an enabled admin while local login is off', async () => {
    const breakGlass = await createUser(world.api, 'admin');
    const otherAdmin = await loginWith(world.api, await createUser(world.api, 'admin'));
    const patch = (body: object) => otherAdmin.agent.patch(`/api/v1/users/${breakGlass.id}`).set('X-CSRF-Token', otherAdmin.csrf).send(body);
    await put({ ...baseSettings(world.provider), localLoginEnabled: false, breakGlassUsername: breakGlass.username }).expect(200);
    try {
      expect((await patch({ disabled: true }).expect(409)).body.code).toBe('CONFLICT');
      expect((await patch({ role: 'operator' }).expect(409)).body.code).toBe('CONFLICT');
      const row = await world.api.db.user.findUniqueOrThrow({ where: { id: breakGlass.id } });
      expect({ role: row.roleName, disabled: row.disabledAt !== null }).toEqual({ role: 'admin', disabled: false });
    } finally {
      await otherAdmin.agent.put('/api/v1/settings/oidc').set('X-CSRF-Token', otherAdmin.csrf).send(baseSettings(world.provider)).expect(200);
    }
    // With local login on again, they are an ordinary admin.
    await patch({ disabled: true }).expect(200);
  });
});

describe('test connection', () => {
  it("reports the issuer's endpoints", async () => {
    const res = await world.admin.agent
      .post('/api/v1/settings/oidc/test')
      .set('X-CSRF-Token', world.admin.csrf)
      .send({ issuer: world.provider.issuer })
      .expect(200);
    expect(res.body).toEqual({
      ok: true,
      issuer: world.provider.issuer,
      authorizationEndpoint: `${world.provider.issuer}/auth`,
      tokenEndpoint: `${world.provider.issuer}/token`,
      userinfoEndpoint: `${world.provider.issuer}/me`,
      jwksUri: `${world.provider.issuer}/jwks`,
      error: null,
    });
  });

  it('says why discovery failed: no provider there, or an issuer that does not match', async () => {
    const notOidc = createServer((_req, res) => res.writeHead(404).end('nothing here')).listen(0, '127.0.0.1');
    await once(notOidc, 'listening');
    try {
      const url = `http://127.0.0.1:${(notOidc.address() as AddressInfo).port}`;
      const res = await world.admin.agent.post('/api/v1/settings/oidc/test').set('X-CSRF-Token', world.admin.csrf).send({ issuer: url }).expect(200);
      expect(res.body).toMatchObject({ ok: false, authorizationEndpoint: null, error: expect.stringMatching(/404/) });
    } finally {
      notOidc.close();
    }
    const mismatch = await world.admin.agent
      .post('/api/v1/settings/oidc/test')
      .set('X-CSRF-Token', world.admin.csrf)
      .send({ issuer: `${world.provider.issuer.replace('127.0.0.1', 'localhost')}` })
      .expect(200);
    expect(mismatch.body).toMatchObject({ ok: false, error: expect.stringMatching(/issuer/) });
    const remoteHttp = await world.admin.agent
      .post('/api/v1/settings/oidc/test')
      .set('X-CSRF-Token', world.admin.csrf)
      .send({ issuer: 'http://idp.example.com' })
      .expect(200);
    expect(remoteHttp.body).toMatchObject({ ok: false, error: expect.stringMatching(/https/) });
  });
});
