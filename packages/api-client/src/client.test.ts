import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { accountRoutes, authRoutes, targetRoutes, tokenRoutes } from '@passman/contracts';
import { ApiError, createApiClient, isApiError } from './index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const ACCOUNT_ID = '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c';
const seen: Seen[] = [];
/** Whether the stand-in's session authenticated recently enough for POST /tokens. */
let fresh = false;
let server: Server;
let baseUrl: string;

/** A small stand-in API: each path answers the way the real one does for that case. */
function answer(request: IncomingMessage, body: string, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const json = (status: number, value: unknown, type = 'application/json') => {
    response.writeHead(status, { 'content-type': type });
    response.end(JSON.stringify(value));
  };
  if (url.pathname === '/api/v1/auth/login') {
    const { username } = JSON.parse(body) as { username: string };
    if (username === 'wrong') {
      json(401, { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'INVALID_CREDENTIALS' }, 'application/problem+json');
      return;
    }
    json(200, { user: { username }, csrfToken: 'csrf-from-login' });
    return;
  }
  if (url.pathname === '/api/v1/auth/me') {
    json(401, { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'UNAUTHENTICATED' }, 'application/problem+json');
    return;
  }
  if (url.pathname === '/api/v1/tokens' && request.method === 'POST') {
    if (!fresh) {
      json(403, { type: 'about:blank', title: 'Forbidden', status: 403, code: 'STEP_UP_REQUIRED', methods: ['password'] }, 'application/problem+json');
      return;
    }
    json(201, { id: ACCOUNT_ID, token: 'pm_x' });
    return;
  }
  if (url.pathname === '/api/v1/accounts' && request.method === 'GET') {
    json(200, { items: [], nextCursor: null });
    return;
  }
  if (url.pathname === '/api/v1/accounts' && request.method === 'POST') {
    response.writeHead(422, { 'content-type': 'application/problem+json', 'retry-after': '7' });
    response.end(
      JSON.stringify({
        type: 'about:blank',
        title: 'Unprocessable',
        status: 422,
        code: 'VALIDATION_FAILED',
        errors: [{ path: ['username'], message: 'must be a POSIX user name' }],
        holder: 'alice',
      }),
    );
    return;
  }
  if (url.pathname.startsWith('/api/v1/accounts/') && request.method === 'DELETE') {
    response.writeHead(204);
    response.end();
    return;
  }
  json(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'NOT_FOUND' }, 'application/problem+json');
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      answer(request, body, response);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

beforeEach(() => {
  seen.length = 0;
  fresh = false;
});

describe('createApiClient', () => {
  it('sends the method and path of the route, its query without empty values, and returns the JSON body', async () => {
    const client = createApiClient({ baseUrl });
    const page = await client.call(accountRoutes.list, { query: { q: 'web', status: 'InSync', sort: '-username', limit: 25, cursor: undefined } });
    expect(page).toEqual({ items: [], nextCursor: null });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    const url = new URL(seen[0]!.url, 'http://localhost');
    expect(url.pathname).toBe('/api/v1/accounts');
    expect([...url.searchParams.entries()]).toEqual([
      ['q', 'web'],
      ['status', 'InSync'],
      ['sort', '-username'],
      ['limit', '25'],
    ]);
  });

  it('keeps the CSRF token from the login and sends it on unsafe methods only', async () => {
    const client = createApiClient({ baseUrl });
    const session = await client.call(authRoutes.login, { body: { username: 'ada', password: 'pw' }, handleUnauthorized: false });
    // A user without a second factor gets the session at once (otherwise a challenge: modules/mfa).
    if (!('csrfToken' in session)) throw new Error('expected a session');
    client.setCsrfToken(session.csrfToken);
    expect(JSON.parse(seen[0]!.body)).toEqual({ username: 'ada', password: 'pw' });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.headers['x-csrf-token']).toBeUndefined();

    await client.call(accountRoutes.list);
    await client.call(accountRoutes.delete, { params: { id: ACCOUNT_ID } });
    expect(seen[1]!.headers['x-csrf-token']).toBeUndefined();
    expect(seen[2]!.method).toBe('DELETE');
    expect(seen[2]!.url).toBe(`/api/v1/accounts/${ACCOUNT_ID}`);
    expect(seen[2]!.headers['x-csrf-token']).toBe('csrf-from-login');
  });

  it('returns nothing for a 204', async () => {
    const client = createApiClient({ baseUrl });
    await expect(client.call(accountRoutes.delete, { params: { id: ACCOUNT_ID } })).resolves.toBeUndefined();
  });

  it('encodes path parameters', async () => {
    const client = createApiClient({ baseUrl });
    await expect(client.call(targetRoutes.get, { params: { id: 'a/b?c' } })).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(seen[0]!.url).toBe('/api/v1/targets/a%2Fb%3Fc');
  });

  it('turns a problem+json answer into an ApiError with its code, field issues, Retry-After and own members', async () => {
    const client = createApiClient({ baseUrl });
    const error = await client.call(accountRoutes.create, { body: { targetId: ACCOUNT_ID, username: 'Bad Name' } }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isApiError(error)).toBe(true);
    expect(error).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'username', message: 'must be a POSIX user name' }],
      retryAfter: 7,
      extensions: { holder: 'alice' },
    });
  });

  it('on a 401 forgets the CSRF token and calls the handler, unless the call opts out', async () => {
    const client = createApiClient({ baseUrl });
    const calls: ApiError[] = [];
    const remove = client.onUnauthorized((error) => calls.push(error));

    client.setCsrfToken('token');
    await expect(client.call(authRoutes.login, { body: { username: 'wrong', password: 'x' }, handleUnauthorized: false })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
    expect(calls).toHaveLength(0);
    expect(client.getCsrfToken()).toBe('token');

    await expect(client.call(authRoutes.me)).rejects.toBeInstanceOf(ApiError);
    expect(calls.map((error) => error.code)).toEqual(['UNAUTHENTICATED']);
    expect(client.getCsrfToken()).toBeNull();

    remove();
    await expect(client.call(authRoutes.me)).rejects.toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(1);
  });

  it('on STEP_UP_REQUIRED asks the handler, then sends the same call again once; a refusal or opt-out gets the error', async () => {
    const client = createApiClient({ baseUrl });
    client.setCsrfToken('csrf');
    const asked: string[] = [];
    client.onStepUp(async (error) => {
      asked.push(String(error.extensions.methods));
      fresh = true;
      return true;
    });
    const body = { name: 'ci', scopes: ['accounts.view' as const] };
    await expect(client.call(tokenRoutes.create, { body })).resolves.toMatchObject({ token: 'pm_x' });
    expect(asked).toEqual(['password']);
    expect(seen.map((s) => [s.method, s.url, s.headers['x-csrf-token'], s.body])).toEqual([
      ['POST', '/api/v1/tokens', 'csrf', JSON.stringify(body)],
      ['POST', '/api/v1/tokens', 'csrf', JSON.stringify(body)],
    ]);

    fresh = false;
    seen.length = 0;
    const remove = client.onStepUp(async () => false);
    await expect(client.call(tokenRoutes.create, { body })).rejects.toMatchObject({ status: 403, code: 'STEP_UP_REQUIRED' });
    expect(seen).toHaveLength(1);
    remove();

    // Re-authenticated, but still refused (a window shorter than the round trip): no loop.
    let calls = 0;
    client.onStepUp(async () => {
      calls += 1;
      return true;
    });
    await expect(client.call(tokenRoutes.create, { body })).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(calls).toBe(1);
    await expect(client.call(tokenRoutes.create, { body, handleStepUp: false })).rejects.toMatchObject({ code: 'STEP_UP_REQUIRED' });
    expect(calls).toBe(1);
  });

  it('reports a refused connection as a network error (status 0)', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const client = createApiClient({ baseUrl: `http://127.0.0.1:${port}/api/v1` });
    await expect(client.call(accountRoutes.list)).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('builds the URL of a route for an event stream', () => {
    const client = createApiClient({ baseUrl: '/api/v1/' });
    expect(client.url(accountRoutes.get, { params: { id: ACCOUNT_ID } })).toBe(`/api/v1/accounts/${ACCOUNT_ID}`);
    expect(() => client.url(accountRoutes.get)).toThrow('missing path parameter id');
  });
});

// Compile-time checks: `npm run typecheck` fails if the types stop following the contracts.
export async function typeChecks(client: ReturnType<typeof createApiClient>): Promise<void> {
  const account = await client.call(accountRoutes.get, { params: { id: ACCOUNT_ID } });
  const username: string = account.username;
  void username;
  const nothing: void = await client.call(accountRoutes.delete, { params: { id: ACCOUNT_ID } });
  void nothing;
  // @ts-expect-error the route needs its path parameter
  await client.call(accountRoutes.get);
  // @ts-expect-error a status the contract does not know
  await client.call(accountRoutes.list, { query: { status: 'Broken' } });
  // @ts-expect-error a route without a body takes none
  await client.call(accountRoutes.list, { body: {} });
  // @ts-expect-error the body misses its username
  await client.call(accountRoutes.create, { body: { targetId: ACCOUNT_ID } });
}
