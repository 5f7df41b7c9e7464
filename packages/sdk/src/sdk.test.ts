import { describe, expect, it } from '@jest/globals';
import { ApiError } from '@passman/api-client';
import { ALL_ROUTE_GROUPS, type ApiRoute } from '@passman/contracts';
import {
  apiBaseUrl,
  ApprovalRequiredError,
  AuthenticationError,
  ConflictError,
  createPassman,
  NetworkError,
  normalizeFingerprint256,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  readEvents,
  ROUTE_GROUPS,
  ServerError,
  StepUpRequiredError,
  STREAM_ROUTES,
  TlsError,
  toPassmanError,
  UnavailableError,
  ValidationError,
  type PassmanClient,
} from './index.js';
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from './transport.js';

describe('the route clients', () => {
  const ours = new Map<ApiRoute, string>();
  for (const [group, routes] of Object.entries(ROUTE_GROUPS)) {
    for (const [name, route] of Object.entries(routes as Record<string, ApiRoute>)) ours.set(route, `${group}.${name}`);
  }

  it('cover every route of the API, each once', () => {
    const all = ALL_ROUTE_GROUPS.flatMap((group) => Object.values(group));
    const missing = all.filter((route) => !ours.has(route)).map((route) => `${route.method.toUpperCase()} ${route.path}`);
    expect(missing).toEqual([]);
    expect(ours.size).toBe(all.length);
  });

  it('list exactly the event-stream routes as streams', () => {
    const flagged = [...ours].filter(([route]) => route.stream).map(([, name]) => name);
    const listed = Object.entries(STREAM_ROUTES).flatMap(([group, names]) => names.map((name) => `${group}.${name}`));
    expect(listed.sort()).toEqual(flagged.sort());
  });

  it('give every route a method, a paged one its all(), and no group hides a helper', () => {
    const pm = createPassman({ url: 'https://passman.example.test' });
    const helpers = [
      'baseUrl',
      'call',
      'paginate',
      'stream',
      'login',
      'logout',
      'setToken',
      'whoami',
      'findTarget',
      'findAccount',
      'waitForJob',
      'waitForBatch',
      'onStepUp',
      'close',
    ];
    for (const helper of helpers) expect(Object.keys(ROUTE_GROUPS)).not.toContain(helper);
    for (const [group, routes] of Object.entries(ROUTE_GROUPS)) {
      for (const name of Object.keys(routes)) expect(typeof (pm as unknown as Record<string, Record<string, unknown>>)[group]![name]).toBe('function');
    }
    expect(typeof pm.accounts.list.all).toBe('function');
    expect(pm.baseUrl).toBe('https://passman.example.test/api/v1');
  });
});

describe('apiBaseUrl', () => {
  it('adds /api/v1 where it is missing and keeps a path prefix', () => {
    expect(apiBaseUrl('https://pm.example.test:8443')).toBe('https://pm.example.test:8443/api/v1');
    expect(apiBaseUrl('https://pm.example.test/vault/')).toBe('https://pm.example.test/vault/api/v1');
    expect(apiBaseUrl('https://pm.example.test/api/v1/')).toBe('https://pm.example.test/api/v1');
    expect(apiBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/api/v1');
    expect(apiBaseUrl('http://localhost:8080')).toBe('http://localhost:8080/api/v1');
  });

  it('refuses a URL that carries credentials or a query, and plain HTTP to a remote host unless allowed', () => {
    expect(() => apiBaseUrl('https://ci:hunter2@pm.example.test')).toThrow('must not hold a user name or password');
    expect(() => apiBaseUrl('https://pm.example.test/?token=pm_abc')).toThrow('must not have a query');
    expect(() => apiBaseUrl('http://pm.example.test')).toThrow('refusing plain http://');
    expect(apiBaseUrl('http://pm.internal', true)).toBe('http://pm.internal/api/v1');
    expect(() => apiBaseUrl('ftp://pm.example.test')).toThrow('must be https://');
    expect(() => apiBaseUrl('pm.example.test')).toThrow('not a URL');
  });

  it('refuses a pin for a plain-HTTP address', () => {
    expect(() => createPassman({ url: 'http://127.0.0.1:1', tls: { fingerprint256: 'AB'.repeat(32) } })).toThrow('needs an https:// URL');
  });
});

describe('normalizeFingerprint256', () => {
  const printed = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

  it('reads the fingerprint as PassMan prints it, bare hex, lower case and with a SHA256 prefix', () => {
    expect(normalizeFingerprint256(printed)).toBe(printed);
    expect(normalizeFingerprint256(printed.replaceAll(':', '').toLowerCase())).toBe(printed);
    expect(normalizeFingerprint256(`SHA256:${printed}`)).toBe(printed);
    expect(normalizeFingerprint256(` ${printed}\n`)).toBe(printed);
  });

  it('refuses anything that is not 32 bytes of hex', () => {
    expect(() => normalizeFingerprint256(printed.slice(3))).toThrow('SHA-256 fingerprint');
    expect(() => normalizeFingerprint256(`${printed}:00`)).toThrow('SHA-256 fingerprint');
    expect(() => normalizeFingerprint256('SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s')).toThrow('SHA-256 fingerprint');
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('7')).toBe(7_000);
    expect(retryAfterMs('0')).toBe(0);
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 07 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('backs off exponentially, with jitter in the upper half, up to the longest wait', () => {
    const retry = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((attempt) => backoffMs(attempt, retry, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
    expect([0, 1, 2, 3, 4].map((attempt) => backoffMs(attempt, retry, () => 0))).toEqual([50, 100, 200, 400, 500]);
  });
});

describe('toPassmanError', () => {
  const of = (status: number, code: string) => toPassmanError(new ApiError({ status, code }));

  it('gives each kind of problem its class and keeps the code', () => {
    expect(of(401, 'UNAUTHENTICATED')).toBeInstanceOf(AuthenticationError);
    expect(of(403, 'FORBIDDEN')).toBeInstanceOf(PermissionError);
    expect(of(403, 'STEP_UP_REQUIRED')).toBeInstanceOf(StepUpRequiredError);
    expect(of(403, 'STEP_UP_REQUIRED')).toBeInstanceOf(PermissionError);
    expect(of(403, 'APPROVAL_REQUIRED')).toBeInstanceOf(ApprovalRequiredError);
    expect(of(404, 'NOT_FOUND')).toBeInstanceOf(NotFoundError);
    expect(of(409, 'ALREADY_EXISTS')).toBeInstanceOf(ConflictError);
    expect(of(422, 'VALIDATION_FAILED')).toBeInstanceOf(ValidationError);
    expect(of(413, 'PAYLOAD_TOO_LARGE')).toBeInstanceOf(ValidationError);
    expect(of(429, 'RATE_LIMITED')).toBeInstanceOf(RateLimitedError);
    expect(of(503, 'SEALED')).toBeInstanceOf(UnavailableError);
    expect(of(500, 'INTERNAL')).toBeInstanceOf(ServerError);
    expect(of(409, 'ALREADY_EXISTS')).toMatchObject({ status: 409, code: 'ALREADY_EXISTS', name: 'ConflictError' });
    expect(of(0, 'NETWORK_ERROR')).toBeInstanceOf(NetworkError);
  });

  it('tells an untrusted certificate from an unreachable server by the cause’s code', () => {
    const cause = (code: string) =>
      new ApiError({ status: 0, code: 'NETWORK_ERROR', cause: new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code }) }) });
    expect(toPassmanError(cause('ECONNREFUSED'))).toMatchObject({ name: 'NetworkError', code: 'NETWORK_ERROR', reason: 'ECONNREFUSED' });
    const untrusted = toPassmanError(cause('DEPTH_ZERO_SELF_SIGNED_CERT'));
    expect(untrusted).toBeInstanceOf(TlsError);
    expect(untrusted).toBeInstanceOf(NetworkError);
    expect(untrusted).toMatchObject({ code: 'TLS_CERTIFICATE_UNTRUSTED', reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});

describe('readEvents', () => {
  async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield new TextEncoder().encode(part);
  }
  const collect = async (...parts: string[]) => {
    const events = [];
    for await (const event of readEvents(chunks(...parts))) events.push(event);
    return events;
  };

  it('reads named events, joins data lines, skips comments, across any chunking and line ending', async () => {
    const stream = ': keep-alive\n\nevent: job\ndata: {"a":1}\n\nevent: job\r\ndata: line1\r\ndata: line2\r\n\r\ndata: plain\r\rid: 7\ndata:x\n\n';
    const expected = [
      { event: 'job', data: '{"a":1}', id: undefined },
      { event: 'job', data: 'line1\nline2', id: undefined },
      { event: 'message', data: 'plain', id: undefined },
      { event: 'message', data: 'x', id: '7' },
    ];
    expect(await collect(stream)).toEqual(expected);
    // One byte at a time: a CRLF split between chunks is still one line end.
    expect(await collect(...stream.split(''))).toEqual(expected);
  });

  it('drops an event the stream ended in the middle of', async () => {
    expect(await collect('event: job\ndata: {"a":1}\n\nevent: job\ndata: {"a"')).toEqual([{ event: 'job', data: '{"a":1}', id: undefined }]);
  });
});

// Compile-time checks: `npm run typecheck` fails if the route clients stop following the contracts.
export async function typeChecks(pm: PassmanClient): Promise<void> {
  const job = await pm.jobs.check({ params: { id: 'x' } });
  const state: 'queued' | 'running' | 'succeeded' | 'failed' | 'unverified' = job.state;
  void state;
  for await (const account of pm.accounts.list.all({ query: { status: 'NotInSync' } })) {
    const username: string = account.username;
    void username;
  }
  for await (const update of pm.jobs.events({ params: { id: 'x' } })) {
    const steps: unknown[] = update.steps;
    void steps;
  }
  // @ts-expect-error a route without pages has no all()
  void pm.jobs.get.all;
  // @ts-expect-error the reset body needs its credential type
  await pm.jobs.reset({ params: { id: 'x' }, body: { generate: true } });
  // @ts-expect-error a status the contract does not know
  await pm.accounts.list({ query: { status: 'Broken' } });
}
