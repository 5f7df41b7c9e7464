import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountRoutes, targetRoutes, type ApiRoute, type Permission } from '@passman/contracts';
import { createAccount, createTarget } from '../../test/factories.js';
import { bearerFor, createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';

// Every Targets and Accounts route, walked from the contracts: none answers without
// authentication (401) or without its permission (403), whether the caller is a session
// whose role lacks it or a token whose scopes lack it.

let api: TestApi;
let auditor: LoggedIn;
let operator: LoggedIn;
let targetId: string;
let accountId: string;
beforeAll(async () => {
  api = await createTestApi();
  auditor = await loginAs(api, 'auditor');
  operator = await loginAs(api, 'operator');
  targetId = (await createTarget(api)).id;
  accountId = (await createAccount(api, targetId)).id;
});
afterAll(async () => {
  await api.close();
});

const ROUTES = [...Object.values(targetRoutes), ...Object.values(accountRoutes)] as ApiRoute[];
const pathOf = (route: ApiRoute) => `/api/v1${route.path.replace(':id', route.path.startsWith('/targets') ? targetId : accountId)}`;
const label = (route: ApiRoute) => `${route.method.toUpperCase()} ${route.path}`;

function send(agent: ReturnType<TestApi['request']>, route: ApiRoute, headers: Record<string, string> = {}) {
  let req = agent[route.method](pathOf(route));
  for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
  // An empty body: routes that get past authorization answer 422, which proves they did.
  return route.method === 'get' ? req : req.send({});
}

describe.each(ROUTES.map((r) => [label(r), r] as const))('%s', (_name, route) => {
  it('answers 401 without a session or token', async () => {
    const res = await send(api.request(), route).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 to an unknown bearer token', async () => {
    await send(api.request(), route, { Authorization: 'Bearer pm_unknown0000000000000000000000' }).expect(401);
  });

  it('answers 403 to a token whose scopes lack the permission, even when its role has it', async () => {
    const other: Permission = route.access === 'audit.view' ? 'jobs.view' : 'audit.view';
    const token = await bearerFor(api, 'admin', [other]);
    const res = await send(api.request(), route, { Authorization: `Bearer ${token}` }).expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    expect(res.body.detail).toContain(String(route.access));
  });

  it('lets a token scoped to exactly the permission through', async () => {
    const token = await bearerFor(api, 'admin', [route.access as Permission]);
    const res = await send(api.request(), route, { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(route.method === 'get' ? 200 : route.method === 'delete' ? 204 : 422);
    if (route.method === 'delete') {
      // Put back what the delete removed, for the other cases.
      targetId = (await createTarget(api)).id;
      accountId = (await createAccount(api, targetId)).id;
    }
  });

  if (route.method === 'get') {
    it('lets an auditor read', async () => {
      await send(auditor.agent, route).expect(200);
    });
  } else {
    it('answers 403 to an auditor (view but not manage), CSRF header and all', async () => {
      const res = await send(auditor.agent, route, { 'X-CSRF-Token': auditor.csrf }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('answers 403 CSRF_FAILED to a session without the CSRF header', async () => {
      expect((await send(operator.agent, route).expect(403)).body.code).toBe('CSRF_FAILED');
    });

    it('lets an operator through to validation', async () => {
      const res = await send(operator.agent, route, { 'X-CSRF-Token': operator.csrf });
      expect([200, 204, 422]).toContain(res.status);
      if (route.method === 'delete') {
        targetId = (await createTarget(api)).id;
        accountId = (await createAccount(api, targetId)).id;
      }
    });
  }
});
