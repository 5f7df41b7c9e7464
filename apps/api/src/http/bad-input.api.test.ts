import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { allRoutes } from '@passman/contracts';
import type supertest from 'supertest';
import { createAccount, createTarget } from '../test/factories.js';
import { createTestApi, loginAs, unique, type LoggedIn, type TestApi } from '../test/harness.js';

// Input that once made the API answer 500: each must be a 4xx problem+json, refused before
// anything is stored.

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

function expectProblem(res: supertest.Response, status: number, code: string): void {
  expect([res.status, res.body.code]).toEqual([status, code]);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const paths = (res: supertest.Response) => (res.body.errors as { path: string }[]).map((e) => e.path);

describe('the URL', () => {
  const withId = allRoutes().filter((r) => r.path.includes(':id'));

  it.each(withId.map((r) => [r.operationId, r] as const))(
    '%s answers 400 BAD_URL_ENCODING to a malformed %%-encoding, authenticated or not',
    async (_name, route) => {
      const url = `/api/v1${route.path.replace(':id', '%E0%A4%A')}`;
      expectProblem(await api.request()[route.method](url), 400, 'BAD_URL_ENCODING');
      expectProblem(await api.request()[route.method](url.replace('%E0%A4%A', '%')).set('X-CSRF-Token', admin.csrf), 400, 'BAD_URL_ENCODING');
      const res = await admin.agent[route.method](url).set('X-CSRF-Token', admin.csrf);
      expectProblem(res, 400, 'BAD_URL_ENCODING');
      expect(res.body.detail).not.toContain('%E0%A4%A');
    },
  );

  it('a well-encoded NUL in an id is a schema failure (422), not a database error', async () => {
    expectProblem(await admin.agent.get('/api/v1/targets/%00'), 422, 'VALIDATION_FAILED');
  });
});

describe('the body', () => {
  it('a body over the 256 kB limit is 413 PAYLOAD_TOO_LARGE, and nothing is stored', async () => {
    const before = await api.db.approvalRequest.count();
    const res = await admin.agent
      .post('/api/v1/approvals')
      .set('X-CSRF-Token', admin.csrf)
      .send({ accountId: '00000000-0000-7000-8000-000000000000', action: 'checkout', reason: 'x'.repeat(300_000), durationMinutes: 5 });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(await api.db.approvalRequest.count()).toBe(before);
  });

  it.each(['gzip', 'deflate', 'br'])('a body marked Content-Encoding %s whose bytes are not is 400 BAD_CONTENT_ENCODING', async (encoding) => {
    const res = await api
      .request()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .send('{"username":"admin","password":"not compressed at all"}');
    expectProblem(res, 400, 'BAD_CONTENT_ENCODING');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])('a %s body on a route that takes JSON is 415', async (type) => {
    const res = await api.request().post('/api/v1/auth/login').set('Content-Type', type).send('username=admin&password=x');
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const authed = await admin.agent.post('/api/v1/targets').set('X-CSRF-Token', admin.csrf).set('Content-Type', type).send('name=x');
    expectProblem(authed, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a schema failure is 422 VALIDATION_FAILED listing every issue; malformed JSON stays 400 BAD_JSON', async () => {
    const res = await api.request().post('/api/v1/auth/login').send({ username: '', password: 5 });
    expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(paths(res).sort()).toEqual(['body.password', 'body.username']);
    expectProblem(await api.request().post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"a":'), 400, 'BAD_JSON');
    // No body at all on a route that needs one: the schema says what is missing.
    expectProblem(await api.request().post('/api/v1/auth/login'), 422, 'VALIDATION_FAILED');
  });
});

describe('text fields', () => {
  it('a NUL in the login username is 422, not a database error', async () => {
    const res = await api.request().post('/api/v1/auth/login').send({ username: 'ad\0min', password: 'whatever-password' });
    expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(paths(res)).toEqual(['body.username']);
  });

  it('NUL, lone surrogates and control characters in user fields are 422 before anything is stored', async () => {
    const name = unique('t');
    // The last two show as something else than they are: a bidirectional override and an isolate.
    for (const bad of [
      `${name}\0`,
      `${name}\ud800`,
      `${name}\udfff`,
      `${name}\u001b[31m`,
      `${name}\u0085`,
      `${name}\u007f`,
      `${name}\u202elog.exe`,
      `\u2067${name}`,
    ]) {
      const res = await admin.agent.post('/api/v1/targets').set('X-CSRF-Token', admin.csrf).send({ name: bad, address: 'h.example', description: bad });
      expectProblem(res, 422, 'VALIDATION_FAILED');
      expect(paths(res).sort()).toEqual(['body.description', 'body.name']);
    }
    expect(await api.db.target.count({ where: { name: { startsWith: name } } })).toBe(0);
    const user = await admin.agent
      .post('/api/v1/users')
      .set('X-CSRF-Token', admin.csrf)
      .send({ username: unique('u'), role: 'operator', password: 'long-enough-password', displayName: 'x\0y' });
    expectProblem(user, 422, 'VALIDATION_FAILED');
    const policy = await admin.agent
      .post('/api/v1/policies')
      .set('X-CSRF-Token', admin.csrf)
      .send({ name: unique('p'), description: 'a\ud83d' });
    expectProblem(policy, 422, 'VALIDATION_FAILED');
    const token = await admin.agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', admin.csrf)
      .send({ name: 'tok\u0000en', scopes: ['accounts.view'] });
    expectProblem(token, 422, 'VALIDATION_FAILED');
  });

  it('a well-formed surrogate pair (an emoji) and right-to-left text are text, and are kept', async () => {
    const name = `${unique('t')} 🔑 שרת \u200f(ראשי)`;
    const res = await admin.agent
      .post('/api/v1/targets')
      .set('X-CSRF-Token', admin.csrf)
      .send({ name, address: 'h.example', description: 'line one\n\tline two 🗝' })
      .expect(201);
    expect(res.body.name).toBe(name);
  });

  it('a lone surrogate in a checkout reason never reaches the audit trail (jsonb refuses it)', async () => {
    const account = await createAccount(api);
    const res = await admin.agent.post(`/api/v1/accounts/${account.id}/checkout`).set('X-CSRF-Token', admin.csrf).send({ reason: 'why\ud800' });
    expectProblem(res, 422, 'VALIDATION_FAILED');
  });

  it.each([['/audit?action=a%00b'], ['/audit?objectType=%00'], ['/audit?objectId=x%00'], ['/targets?tag=a%00'], ['/targets?q=a%00'], ['/accounts?q=%00']])(
    'a NUL or broken text in the query filter %s is 422',
    async (url) => {
      expectProblem(await admin.agent.get(`/api/v1${url}`), 422, 'VALIDATION_FAILED');
    },
  );

  it.each(['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '10000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2026-02-30T00:00:00Z'])(
    'since=%s is refused with 422, not a database error',
    async (since) => {
      expectProblem(await admin.agent.get('/api/v1/audit').query({ since }), 422, 'VALIDATION_FAILED');
      expectProblem(await admin.agent.get('/api/v1/audit').query({ until: since }), 422, 'VALIDATION_FAILED');
    },
  );

  it('sane dates still filter', async () => {
    await admin.agent.get('/api/v1/audit').query({ since: '1970-01-01T00:00:00Z', until: '9999-12-31T23:59:59.999Z' }).expect(200);
  });
});

describe('forged cursors are 400 INVALID_CURSOR on every list', () => {
  const lists = ['/audit', '/jobs', '/users', '/policies', '/accounts', '/targets'];
  const forged = [
    b64(['x']),
    b64(['1e999']),
    b64(['-1']),
    b64([{}]),
    b64([null]),
    b64(['a\u0000b']),
    b64(['\ud800']),
    b64(['not-a-date', 'not-a-uuid']),
    b64(['0000-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']),
    b64(['2026-01-01T00:00:00.000Z', 5]),
    b64([]),
    b64('x'),
    b64(['99999999999999999999999']),
    Buffer.from('not json').toString('base64url'),
  ];
  it.each(lists)('%s', async (list) => {
    for (const cursor of forged) {
      const res = await admin.agent.get(`/api/v1${list}`).query({ cursor });
      expect([cursor, res.status, res.body.code]).toEqual([cursor, 400, 'INVALID_CURSOR']);
    }
  });

  it.each([
    ['/audit', ['audit:seq', '1e999']],
    ['/audit', ['audit:seq', '0']],
    ['/audit', ['audit:seq', '9223372036854775808']],
    ['/audit', ['audit:seq', 12]],
    ['/jobs', ['jobs:createdAt', '0000-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']],
    ['/jobs', ['jobs:createdAt', '2026-02-30T00:00:00.000Z', '00000000-0000-0000-0000-000000000000']],
    ['/jobs', ['jobs:createdAt', '2026-01-01T00:00:00.000Z', 'x']],
    ['/users', ['users:username', 'a\u0000b']],
    ['/policies', ['policies:name', '\ud800']],
    ['/targets', ['targets:name', 'a\u0000']],
    ['/accounts', ['accounts:username', 'x\u0000', '00000000-0000-0000-0000-000000000000']],
  ])('%s refuses a cursor of its own kind whose key is forged: %j', async (list, key) => {
    expectProblem(await admin.agent.get(`/api/v1${list}`).query({ cursor: b64(key) }), 400, 'INVALID_CURSOR');
  });

  it('a real cursor still pages', async () => {
    for (let i = 0; i < 3; i += 1) await createTarget(api);
    const first = await admin.agent.get('/api/v1/users?limit=1').expect(200);
    if (first.body.nextCursor) await admin.agent.get('/api/v1/users').query({ limit: 1, cursor: first.body.nextCursor }).expect(200);
    const audit = await admin.agent.get('/api/v1/audit?limit=1').expect(200);
    await admin.agent.get('/api/v1/audit').query({ limit: 1, cursor: audit.body.nextCursor }).expect(200);
  });
});
