import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allRoutes, PERMISSIONS, type ApiRoute } from '@passman/contracts';
import { bearerFor, createTestApi, loginAs, type TestApi } from '../test/harness.js';

// Every route of the contract, current and future: none answers without authentication,
// none without its permission. Authorization runs before validation, so no body is needed.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const routes = allRoutes();
const protectedRoutes = routes.filter((r) => r.access !== 'public');
const permissionRoutes = protectedRoutes.filter((r) => r.access !== 'authenticated');
// Every parameter is an id, except a credential's version number.
const urlOf = (route: ApiRoute) => `/api/v1${route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => (name === 'version' ? '1' : randomUUID()))}`;
const call = (api: TestApi, route: ApiRoute) => api.request()[route.method](urlOf(route));

describe('every route checks access on the server', () => {
  it('the contract has routes to check', () => {
    expect(protectedRoutes.length).toBeGreaterThan(5);
  });

  it.each(protectedRoutes.map((r) => [r.operationId, r] as const))('%s answers 401 without credentials', async (_name, route) => {
    const res = await call(api, route).expect(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it.each(permissionRoutes.map((r) => [r.operationId, r] as const))('%s answers 403 to a token without its permission', async (_name, route) => {
    const other = PERMISSIONS.find((p) => p !== route.access)!;
    const token = await bearerFor(api, 'admin', [other]);
    const res = await call(api, route).set('Authorization', `Bearer ${token}`).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('unsafe routes answer 403 to a session without the CSRF header', async () => {
    const { agent } = await loginAs(api, 'admin');
    for (const route of protectedRoutes.filter((r) => r.method !== 'get')) {
      const res = await agent[route.method](urlOf(route));
      expect([route.operationId, res.status, res.body.code]).toEqual([route.operationId, 403, 'CSRF_FAILED']);
    }
  });

  const withId = protectedRoutes.filter((r) => r.path.includes(':id'));
  it.each(withId.map((r) => [r.operationId, r] as const))('%s answers 422 for a malformed id, listing it', async (_name, route) => {
    const { agent, csrf } = await loginAs(api, 'admin');
    const res = await agent[route.method](`/api/v1${route.path.replace(':id', 'not-a-uuid')}`)
      .set('X-CSRF-Token', csrf)
      .send({});
    expect([res.status, res.body.code]).toEqual([422, 'VALIDATION_FAILED']);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'params.id' })]));
  });

  // Routes whose body is optional reach the lookup with an empty one; the others are covered by their feature tests.
  const lookups = withId.filter((r) => !r.body || r.body.safeParse({}).success);
  it.each(lookups.map((r) => [r.operationId, r] as const))('%s answers 404 for an unknown id', async (_name, route) => {
    const { agent, csrf } = await loginAs(api, 'admin');
    const res = await agent[route.method](urlOf(route)).set('X-CSRF-Token', csrf).send({});
    expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  const withBody = protectedRoutes.filter((r) => r.body && !r.body.safeParse({}).success);
  it.each(withBody.map((r) => [r.operationId, r] as const))('%s answers 422 problem+json listing the issues of an invalid body', async (_name, route) => {
    const { agent, csrf } = await loginAs(api, 'admin');
    const res = await agent[route.method](urlOf(route)).set('X-CSRF-Token', csrf).send({ unexpected: true });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.length).toBeGreaterThan(0);
    expect(res.body.errors.every((e: { path: string }) => e.path.startsWith('body'))).toBe(true);
  });

  it('an unknown API path is a 404 problem, not the web app', async () => {
    const res = await api.request().get('/api/v1/no-such-thing').expect(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
