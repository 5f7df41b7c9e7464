import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSelfSignedCertificate } from '../../tls/self-signed.js';
import { CONSOLE_URL, ssoLogin, startOidcWorld, type OidcWorld } from './oidc-api.test-util.js';

let world: OidcWorld;
let cert: string;
beforeAll(async () => {
  const tls = await createSelfSignedCertificate(['127.0.0.1']);
  cert = tls.cert;
  world = await startOidcWorld({ tls });
});
afterAll(async () => {
  await world?.close();
});

const test = (body: object) => world.admin.agent.post('/api/v1/settings/oidc/test').set('X-CSRF-Token', world.admin.csrf).send(body).expect(200);

describe('a provider over https with a certificate of a private CA', () => {
  it('is refused while its certificate is not trusted, and reached once the CA is in the settings', async () => {
    const untrusted = await test({ issuer: world.provider.issuer });
    expect(untrusted.body).toMatchObject({ ok: false, error: expect.stringMatching(/certificate/i) });
    const trusted = await test({ issuer: world.provider.issuer, caCertificates: cert });
    expect(trusted.body).toMatchObject({ ok: true, tokenEndpoint: `${world.provider.issuer}/token` });
  });

  it('signs a user in over https when the settings trust the CA', async () => {
    await world.configure({ caCertificates: cert });
    world.provider.addAccount('sub-tls-user', { preferred_username: 'tls-user', roles: ['passman-operators'] });
    const { agent, location } = await ssoLogin(world, 'sub-tls-user');
    expect(location).toBe(`${CONSOLE_URL}/`);
    expect((await agent.get('/api/v1/auth/me').expect(200)).body.user).toMatchObject({ username: 'tls-user', role: 'operator' });
  });

  it('refuses a CA field that holds no certificate', async () => {
    const res = await world.admin.agent
      .put('/api/v1/settings/oidc')
      .set('X-CSRF-Token', world.admin.csrf)
      .send({
        ...(await world.admin.agent.get('/api/v1/settings/oidc')).body,
        clientSecretSet: undefined,
        redirectUri: undefined,
        caCertificates: 'not a certificate',
      })
      .expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.caCertificates' })]);
  });
});
