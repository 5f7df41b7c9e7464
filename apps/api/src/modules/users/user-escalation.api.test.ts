import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Permission } from '@passman/contracts';
import { createTestApi, createUser, loginAs, unique, type TestApi } from '../../test/harness.js';

// A token scoped to users.manage must not become more than its scopes by way of the users it
// manages: creating an admin, promoting someone, or taking over a stronger user by setting its
// password would each hand the holder every permission the token was narrowed away from.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const AUDITOR: Permission[] = ['accounts.view', 'targets.view', 'credentials.view', 'policies.view', 'jobs.view', 'audit.view', 'tokens.manage'];

/** A token of an admin, narrowed to `scopes`. */
async function narrowToken(scopes: Permission[]): Promise<string> {
  const admin = await loginAs(api, 'admin');
  const res = await admin.agent
    .post('/api/v1/tokens')
    .set('X-CSRF-Token', admin.csrf)
    .send({ name: unique('provisioning'), scopes })
    .expect(201);
  return `Bearer ${res.body.token as string}`;
}

const canLogIn = async (username: string, password: string) => (await api.request().post('/api/v1/auth/login').send({ username, password })).status === 200;

describe('a users.manage token cannot grant or take over more than its own scopes', () => {
  it('refuses to create a user whose role has permissions the token lacks', async () => {
    const bearer = await narrowToken(['users.manage']);
    const username = unique('sleeper').toLowerCase();
    const res = await api
      .request()
      .post('/api/v1/users')
      .set('Authorization', bearer)
      .send({ username, role: 'admin', password: 'correct horse battery staple' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await api.db.user.count({ where: { username } })).toBe(0);
    expect(await canLogIn(username, 'correct horse battery staple')).toBe(false);
  });

  it('refuses to set the password of a user whose role is stronger than the token', async () => {
    const bearer = await narrowToken(['users.manage']);
    const victim = await createUser(api, 'admin');
    const res = await api.request().patch(`/api/v1/users/${victim.id}`).set('Authorization', bearer).send({ password: 'taken-over-by-a-narrow-token' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await canLogIn(victim.username, 'taken-over-by-a-narrow-token')).toBe(false);
    expect(await canLogIn(victim.username, victim.password)).toBe(true);
  });

  it('refuses to promote a user to a role with permissions the token lacks', async () => {
    const bearer = await narrowToken(['users.manage', ...AUDITOR]);
    const auditor = await createUser(api, 'auditor');
    const res = await api.request().patch(`/api/v1/users/${auditor.id}`).set('Authorization', bearer).send({ role: 'admin' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect((await api.db.user.findUniqueOrThrow({ where: { id: auditor.id } })).roleName).toBe('auditor');
  });

  it('still manages users whose role it covers', async () => {
    const bearer = await narrowToken(['users.manage', ...AUDITOR]);
    const username = unique('reader').toLowerCase();
    const created = await api
      .request()
      .post('/api/v1/users')
      .set('Authorization', bearer)
      .send({ username, role: 'auditor', password: 'correct horse battery staple' })
      .expect(201);
    await api
      .request()
      .patch(`/api/v1/users/${created.body.id as string}`)
      .set('Authorization', bearer)
      .send({ password: 'another long password' })
      .expect(200);
    expect(await canLogIn(username, 'another long password')).toBe(true);
  });

  it('an administrator’s session is not narrowed', async () => {
    const admin = await loginAs(api, 'admin');
    const other = await createUser(api, 'operator');
    await admin.agent.patch(`/api/v1/users/${other.id}`).set('X-CSRF-Token', admin.csrf).send({ role: 'admin' }).expect(200);
  });
});
