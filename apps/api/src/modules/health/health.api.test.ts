import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearerFor, createTestApi, loginAs, testVault, type TestApi } from '../../test/harness.js';
import { createHealthService } from './health.service.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

describe('operability endpoints', () => {
  it('/healthz answers without authentication', async () => {
    expect((await api.request().get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('/readyz reports the database reachable and migrations current', async () => {
    const res = await api.request().get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', database: 'ok', migrations: 'current', vault: 'unsealed' });
  });

  it('readiness fails when a migration is pending or the database is unreachable', async () => {
    const pending = createHealthService({
      repo: { ping: async () => undefined, appliedMigrations: async () => ['a'] },
      migrationNames: ['a', 'b'],
      vault: testVault(),
    });
    expect(await pending.readiness()).toEqual({ ready: false, checks: { database: 'ok', migrations: 'pending', pendingMigrations: ['b'], vault: 'unsealed' } });
    const down = createHealthService({
      repo: { ping: async () => Promise.reject(new Error('ECONNREFUSED')), appliedMigrations: async () => [] },
      migrationNames: ['a'],
      vault: testVault(),
    });
    expect((await down.readiness()).checks.database).toBe('unreachable');
  });

  it('/readyz says sealed, with 503, when there is no usable master key', async () => {
    const sealed = await createTestApi({ vault: testVault({ sealed: true }) });
    try {
      const res = await sealed.request().get('/readyz').expect(503);
      expect(res.body).toMatchObject({ status: 'not-ready', database: 'ok', vault: 'sealed', sealedReason: 'MASTER_KEY_MISSING' });
      await sealed.request().get('/healthz').expect(200);
    } finally {
      await sealed.close();
    }
  });

  it('/metrics speaks Prometheus to a token with metrics.view and counts requests by route pattern', async () => {
    await api.request().get('/api/v1/auth/me').expect(401);
    const token = await bearerFor(api, 'admin', ['metrics.view']);
    const res = await api.request().get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/passman_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/auth\/me",status="401"\} \d+/);
    expect(res.text).toContain('passman_process_cpu_seconds_total');
  });

  it('/metrics refuses anyone without metrics.view: 401 without credentials, 403 for a token or role lacking it', async () => {
    const anonymous = await api.request().get('/metrics').expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    expect(anonymous.text).not.toContain('passman_');
    const narrow = await bearerFor(api, 'admin', ['audit.view']);
    expect((await api.request().get('/metrics').set('Authorization', `Bearer ${narrow}`).expect(403)).body.code).toBe('FORBIDDEN');
    const operator = await loginAs(api, 'operator');
    expect((await operator.agent.get('/metrics').expect(403)).body.code).toBe('FORBIDDEN');
    // Admins have it (the migration gives it to the role), in a browser session too.
    const admin = await loginAs(api, 'admin');
    await admin.agent.get('/metrics').expect(200);
  });

  it('/metrics is 404 on the main port when it has a listener of its own', async () => {
    const separate = await createTestApi({ metricsOn: 'separate' });
    try {
      const admin = await loginAs(separate, 'admin');
      expect((await admin.agent.get('/metrics').expect(404)).body.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await separate.close();
    }
  });

  it('/api/openapi.json is an OpenAPI 3.1 document of every route, and /api/docs serves a viewer', async () => {
    const res = await api.request().get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/api/v1/auth/login'].post.requestBody).toBeDefined();
    expect(res.body.paths['/api/v1/tokens/{id}'].delete.responses['204']).toBeDefined();
    expect(res.body.components.schemas.Problem).toBeDefined();
    const docs = await api.request().get('/api/docs').expect(200);
    expect(docs.text).toContain('swagger-ui');
    await api.request().get('/api/docs/assets/swagger-ui-bundle.js').expect(200);
  });

  it('every response carries a request id and security headers', async () => {
    const res = await api.request().get('/api/v1/auth/me').set('X-Request-Id', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expect(res.body.requestId).toBe('trace-123');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    // One frame policy, said the old way and the new way alike.
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    // Plain HTTP here (the harness): no HSTS; the server-start test checks it over HTTPS.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    const generated = await api.request().get('/api/v1/auth/me').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
