import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, loginAs, unique, type TestApi } from '../../test/harness.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const newUser = () => ({ username: unique('op').toLowerCase(), role: 'operator', password: 'a-long-enough-password' });

describe('users', () => {
  it('an admin creates an operator who can then log in; the password is stored as argon2id', async () => {
    const { agent, csrf } = await loginAs(api, 'admin');
    const body = newUser();
    const res = await agent.post('/api/v1/users').set('X-CSRF-Token', csrf).send(body).expect(201);
    expect(res.body).toMatchObject({ username: body.username, role: 'operator', disabled: false });
    expect(JSON.stringify(res.body)).not.toContain(body.password);
    await api.request().post('/api/v1/auth/login').send({ username: body.username, password: body.password }).expect(200);
    await agent.get(`/api/v1/users/${res.body.id}`).expect(200);
  });

  it('409 on a duplicate username, 404 on an unknown id, 422 listing every issue', async () => {
    const { agent, csrf } = await loginAs(api, 'admin');
    const body = newUser();
    await agent.post('/api/v1/users').set('X-CSRF-Token', csrf).send(body).expect(201);
    expect((await agent.post('/api/v1/users').set('X-CSRF-Token', csrf).send(body).expect(409)).body.code).toBe('ALREADY_EXISTS');
    await agent.get('/api/v1/users/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c').expect(404);
    await agent.patch('/api/v1/users/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c').set('X-CSRF-Token', csrf).send({ displayName: 'x' }).expect(404);
    const bad = await agent.post('/api/v1/users').set('X-CSRF-Token', csrf).send({ username: 'A B', role: 'root', password: 'short' }).expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.password', 'body.role', 'body.username']);
  });

  it('operators and auditors cannot manage users', async () => {
    for (const role of ['operator', 'auditor'] as const) {
      const { agent, csrf } = await loginAs(api, role);
      await agent.get('/api/v1/users').expect(403);
      await agent.post('/api/v1/users').set('X-CSRF-Token', csrf).send(newUser()).expect(403);
    }
  });

  it('changing a role or password ends the user’s sessions; an admin cannot disable itself', async () => {
    const admin = await loginAs(api, 'admin');
    const target = await loginAs(api, 'operator');
    await admin.agent.patch(`/api/v1/users/${target.user.id}`).set('X-CSRF-Token', admin.csrf).send({ role: 'auditor' }).expect(200);
    await target.agent.get('/api/v1/auth/me').expect(401);
    const self = await admin.agent.patch(`/api/v1/users/${admin.user.id}`).set('X-CSRF-Token', admin.csrf).send({ disabled: true }).expect(409);
    expect(self.body.code).toBe('CONFLICT');
  });

  it('pages through users with a cursor', async () => {
    const { agent } = await loginAs(api, 'admin');
    // Other test files add users meanwhile: every user that existed before the walk must be seen once.
    const before = (await api.db.user.findMany({ select: { id: true } })).map((u) => u.id);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await agent
        .get('/api/v1/users')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      for (const u of res.body.items as { id: string }[]) {
        expect(seen.has(u.id)).toBe(false);
        seen.add(u.id);
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(before.filter((id) => !seen.has(id))).toEqual([]);
    await agent.get('/api/v1/users?cursor=!!!').expect(422);
    expect((await agent.get('/api/v1/users?cursor=WzEsMl0').expect(400)).body.code).toBe('INVALID_CURSOR');
  });
});
