import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { opensshLogin, reserveClosedPort, startSshTarget, type SshTarget } from '@passman/testkit';
import { createUser, type TestUser } from '../../../apps/api/src/test/harness.js';
import {
  AuthenticationError,
  ConflictError,
  createPassman,
  NetworkError,
  NotFoundError,
  PermissionError,
  TlsError,
  UnavailableError,
  ValidationError,
  targetRoutes,
  type PassmanClient,
  type RequestInfo,
} from './index.js';
import { startBalancer, type Balancer } from './test/balancer.js';
import { startImpostor } from './test/impostor.js';
import { startPassmanOverHttps, type PassmanOverHttps } from './test/passman-https.js';

let server: PassmanOverHttps;
let target: SshTarget;
let balancer: Balancer;
let operator: TestUser;
/** The operator's API token, made through the SDK from a session. */
let token: string;
let targetId: string;
let targetName: string;
/** Every request every client of this file made: no secret may ever be in one of their URLs. */
const requests: RequestInfo[] = [];
/** Every secret this file handled: passwords, the token, checked-out and typed secrets. */
const secrets: string[] = [];
const clients: PassmanClient[] = [];

const newUser = () => `sdk${randomBytes(4).toString('hex')}`;
const newPassword = () => `Pw-${randomBytes(9).toString('base64url')}!`;

/** A client of this file: pinned to the server's certificate, its requests recorded. */
function client(options: Partial<Parameters<typeof createPassman>[0]> = {}): PassmanClient {
  const made = createPassman({
    url: server.url,
    tls: { fingerprint256: server.fingerprint256 },
    onRequest: (request) => requests.push(request),
    ...options,
  });
  clients.push(made);
  return made;
}

/** An account for a new user of the sshd target, with its real password stored in PassMan. */
async function accountOnTarget(pm: PassmanClient, options: { stale?: boolean } = {}) {
  const name = newUser();
  const password = newPassword();
  // A stale account: PassMan holds another password than the target's.
  const stored = options.stale ? newPassword() : password;
  secrets.push(password, stored);
  await target.addUsers([{ name, password }]);
  const account = await pm.accounts.create({ body: { targetId, username: name } });
  await pm.credentials.create({ params: { id: account.id }, body: { type: 'PASSWORD', value: stored } });
  return { name, password, accountId: account.id };
}

beforeAll(async () => {
  [server, target] = await Promise.all([startPassmanOverHttps(), startSshTarget()]);
  balancer = await startBalancer(server);
  operator = await createUser(server.api, 'operator');
  secrets.push(operator.password);

  // Session authentication: a login (cookie + CSRF token) that then makes an API token.
  const session = client();
  const login = await session.login({ username: operator.username, password: operator.password });
  expect(login).toMatchObject({ user: { username: operator.username } });
  const me = await session.whoami();
  const created = await session.tokens.create({ body: { name: 'sdk-test', scopes: me.permissions } });
  token = created.token;
  secrets.push(token);

  // The target, its host key scanned and pinned, through the token.
  const pm = client({ token });
  const made = await pm.targets.create({ body: { name: `sdk-${randomBytes(4).toString('hex')}`, address: target.host, port: target.port } });
  targetId = made.id;
  targetName = made.name;
  const scanned = await pm.hostKeys.scan({ params: { id: targetId } });
  expect(target.fingerprints).toContain(scanned.fingerprint);
  await pm.hostKeys.approve({ params: { id: targetId }, body: { fingerprint: scanned.fingerprint } });
  await session.logout();
}, 90_000);

afterAll(async () => {
  for (const made of clients) await made.close();
  await balancer?.close();
  await server?.close();
  await target?.stop();
});

describe('authentication', () => {
  it('a token authenticates every call; a session ends with logout', async () => {
    expect(await client({ token }).whoami()).toMatchObject({ username: operator.username });

    const session = client();
    await session.login({ username: operator.username, password: operator.password });
    expect((await session.whoami()).username).toBe(operator.username);
    await session.logout();
    await expect(session.whoami()).rejects.toMatchObject({ name: 'AuthenticationError', status: 401, code: 'UNAUTHENTICATED' });
  });

  it('a wrong password is an AuthenticationError with the API’s code', async () => {
    const error = await client()
      .login({ username: operator.username, password: 'not-the-password' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
  });
});

describe('jobs on a real sshd target', () => {
  it('a check followed on the event stream: InSync, and the job never polled', async () => {
    const pm = client({ token });
    const { accountId } = await accountOnTarget(pm);
    const seen: string[] = [];
    const before = requests.length;
    const job = await pm.waitForJob((await pm.jobs.check({ params: { id: accountId } })).id, { onProgress: (j) => seen.push(j.state) });
    expect(job).toMatchObject({ kind: 'CHECK', state: 'succeeded', results: [{ type: 'PASSWORD', ok: true, code: null }] });
    expect(seen.at(-1)).toBe('succeeded');
    const paths = requests.slice(before).map((r) => `${r.method} ${new URL(r.url).pathname}`);
    expect(paths).toContain(`GET /api/v1/jobs/${job.id}/events`);
    expect(paths).not.toContain(`GET /api/v1/jobs/${job.id}`);
    expect(await pm.accounts.get({ params: { id: accountId } })).toMatchObject({ status: 'InSync' });
  });

  it('a reset with Generate and Save: the new password logs in with OpenSSH, the old one no longer does', async () => {
    const pm = client({ token });
    const { name, password, accountId } = await accountOnTarget(pm);
    const accepted = await pm.jobs.reset({ params: { id: accountId }, body: { credentialType: 'PASSWORD', generate: true, changeOnTarget: true } });
    const job = await pm.waitForJob(accepted.id);
    expect(job).toMatchObject({ kind: 'RESET', state: 'succeeded', errorCode: null });

    const revealed = await pm.jobs.checkout({ params: { id: accountId }, body: { credentialType: 'PASSWORD', reason: 'sdk test' } });
    secrets.push(revealed.secret);
    expect(revealed.secret).not.toBe(password);
    expect((await opensshLogin({ target, user: name, credential: { password: revealed.secret } })).code).toBe(0);
    expect((await opensshLogin({ target, user: name, credential: { password } })).code).not.toBe(0);
    await pm.jobs.checkin({ params: { id: accountId } });
  });

  it('a reset to a typed secret goes in the body only', async () => {
    const pm = client({ token });
    const { name, accountId } = await accountOnTarget(pm);
    const typed = newPassword();
    secrets.push(typed);
    const job = await pm.waitForJob(
      (await pm.jobs.reset({ params: { id: accountId }, body: { credentialType: 'PASSWORD', newSecret: typed, changeOnTarget: true } })).id,
    );
    expect(job.state).toBe('succeeded');
    expect((await opensshLogin({ target, user: name, credential: { password: typed } })).code).toBe(0);
  });

  it('a bulk check waited on with waitForBatch; a stream refused by the balancer (429) falls back to polling', async () => {
    const pm = client({ token });
    const accounts = [await accountOnTarget(pm), await accountOnTarget(pm), await accountOnTarget(pm, { stale: true })];
    const batch = await pm.jobs.bulk({ body: { kind: 'CHECK', accountIds: accounts.map((a) => a.accountId) } });
    expect(batch).toMatchObject({ total: 3, refused: [] });
    const done = await pm.waitForBatch(batch.id);
    expect(done).toMatchObject({ done: true, counts: { succeeded: 3, failed: 0, queued: 0, running: 0 } });
    const statuses = await Promise.all(accounts.map(async (a) => (await pm.accounts.get({ params: { id: a.accountId } })).status));
    // The third account's stored password is not the target's: its check ran and saw it refused.
    expect(statuses).toEqual(['InSync', 'InSync', 'NotInSync']);

    // Through the balancer, which refuses event streams: the waiter polls the job instead.
    const behind = client({ url: balancer.url, token, tls: undefined });
    balancer.refuse({ matches: (method, path) => method === 'GET' && path.endsWith('/events'), status: 429, headers: { 'retry-after': '5' }, times: 100 });
    const { accountId } = await accountOnTarget(pm);
    const check = await behind.jobs.check({ params: { id: accountId } });
    const polled = await behind.waitForJob(check.id, { pollIntervalMs: 50 });
    expect(polled.state).toBe('succeeded');
    const toBalancer = balancer.seen.filter((r) => r.path.startsWith(`/api/v1/jobs/${check.id}`));
    expect(toBalancer[0]).toEqual({ method: 'GET', path: `/api/v1/jobs/${check.id}/events`, answered: 429 });
    expect(toBalancer.slice(1).every((r) => r.path === `/api/v1/jobs/${check.id}` && r.answered === 0)).toBe(true);
    expect(toBalancer.length).toBeGreaterThan(1);
  });
});

describe('finding by name', () => {
  it('finds an account by <target>/<username>, and says NotFound for a name it cannot see', async () => {
    const pm = client({ token });
    const { name, accountId } = await accountOnTarget(pm);
    // A user whose name starts like this one's, on the same target: only the exact one is taken.
    await pm.accounts.create({ body: { targetId, username: `${name}x` } });
    expect(await pm.findAccount(`${targetName}/${name}`)).toMatchObject({ id: accountId, username: name, target: { id: targetId } });
    await expect(pm.findAccount(`${targetName}/${name}y`)).rejects.toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND' });
    await expect(pm.findAccount(`${targetName}-missing/${name}`)).rejects.toThrow(NotFoundError);
    await expect(pm.findAccount(name)).rejects.toThrow('expected <target>/<username>');
  });
});

describe('pagination', () => {
  it('an async iterator walks every page of a list', async () => {
    const pm = client({ token });
    const made = await pm.targets.create({ body: { name: `sdk-pages-${randomBytes(4).toString('hex')}`, address: target.host, port: target.port } });
    const usernames = Array.from({ length: 5 }, () => newUser()).sort();
    for (const username of usernames) await pm.accounts.create({ body: { targetId: made.id, username } });

    const before = requests.length;
    const listed: string[] = [];
    for await (const account of pm.accounts.list.all({ query: { targetId: made.id, limit: 2, sort: 'username' } })) listed.push(account.username);
    expect(listed).toEqual(usernames);
    const pages = requests.slice(before).map((r) => new URL(r.url).searchParams);
    expect(pages).toHaveLength(3);
    expect(pages[0]!.get('cursor')).toBeNull();
    expect(pages[1]!.get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(pages.every((query) => query.get('limit') === '2')).toBe(true);

    const viaTarget: string[] = [];
    for await (const account of pm.paginate(targetRoutes.accounts, { params: { id: made.id }, query: { limit: 4 } })) viaTarget.push(account.username);
    expect(viaTarget).toEqual(usernames);
  });
});

describe('typed errors', () => {
  it('carry the status and the stable code, each kind its own class', async () => {
    const pm = client({ token });
    const missing = randomUUID();
    await expect(pm.accounts.get({ params: { id: missing } })).rejects.toThrow(NotFoundError);
    await expect(pm.accounts.get({ params: { id: missing } })).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });

    const invalid = await pm.accounts.create({ body: { targetId, username: 'Not A Login!' } }).catch((caught: unknown) => caught);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'body.username' })] });

    const username = newUser();
    await pm.accounts.create({ body: { targetId, username } });
    const twice = await pm.accounts.create({ body: { targetId, username } }).catch((caught: unknown) => caught);
    expect(twice).toBeInstanceOf(ConflictError);
    expect(twice).toMatchObject({ status: 409 });

    await expect(client({ token: `${token}x` }).whoami()).rejects.toThrow(AuthenticationError);

    // A token narrowed to viewing: creating is forbidden.
    const session = client();
    await session.login({ username: operator.username, password: operator.password });
    const narrow = await session.tokens.create({ body: { name: 'sdk-narrow', scopes: ['accounts.view'] } });
    secrets.push(narrow.token);
    const forbidden = await client({ token: narrow.token })
      .targets.create({ body: { name: `sdk-${randomBytes(3).toString('hex')}`, address: target.host } })
      .catch((caught: unknown) => caught);
    expect(forbidden).toBeInstanceOf(PermissionError);
    expect(forbidden).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('an address where nothing listens is a NetworkError with the system’s reason', async () => {
    const closed = await reserveClosedPort();
    try {
      const error = await client({ url: `https://${closed.host}:${closed.port}`, token })
        .whoami()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect(error).toMatchObject({ status: 0, code: 'NETWORK_ERROR', reason: 'ECONNREFUSED' });
    } finally {
      closed.release();
    }
  });
});

describe('retries', () => {
  it('a GET answered 503 by the balancer is sent again after its Retry-After; a POST is not', async () => {
    const pm = client({ url: balancer.url, token, tls: undefined, retry: { baseDelayMs: 10 } });
    const isMe = (method: string, path: string) => method === 'GET' && path === '/api/v1/auth/me';
    balancer.refuse({ matches: isMe, status: 503, headers: { 'retry-after': '0' } });
    const before = balancer.seen.length;
    expect((await pm.whoami()).username).toBe(operator.username);
    expect(balancer.seen.slice(before).map((r) => r.answered)).toEqual([503, 0]);

    const isCheck = (method: string, path: string) => method === 'POST' && path.endsWith('/check');
    balancer.refuse({ matches: isCheck, status: 503 });
    const { accountId } = await accountOnTarget(client({ token }));
    const mark = balancer.seen.length;
    await expect(pm.jobs.check({ params: { id: accountId } })).rejects.toThrow(UnavailableError);
    expect(balancer.seen.slice(mark).map((r) => r.answered)).toEqual([503]);
  });

  it('gives up after its retries, and does not wait a Retry-After longer than its longest back-off', async () => {
    const pm = client({ url: balancer.url, token, tls: undefined, retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 1_000 } });
    const isMe = (method: string, path: string) => method === 'GET' && path === '/api/v1/auth/me';
    balancer.refuse({ matches: isMe, status: 503, times: 3 });
    let mark = balancer.seen.length;
    await expect(pm.whoami()).rejects.toMatchObject({ name: 'UnavailableError', status: 503 });
    expect(balancer.seen.slice(mark).map((r) => r.answered)).toEqual([503, 503, 503]);

    balancer.refuse({ matches: isMe, status: 429, headers: { 'retry-after': '3600' } });
    mark = balancer.seen.length;
    await expect(pm.whoami()).rejects.toMatchObject({ name: 'RateLimitedError', status: 429, retryAfter: 3600 });
    expect(balancer.seen.slice(mark)).toHaveLength(1);
  });
});

describe('certificate pinning', () => {
  it('accepts the fingerprint PassMan printed, in any of its spellings, and a CA file', async () => {
    expect((await client({ token }).whoami()).username).toBe(operator.username);
    const bare = server.fingerprint256.replaceAll(':', '').toLowerCase();
    expect((await client({ token, tls: { fingerprint256: bare } }).whoami()).username).toBe(operator.username);
    expect((await client({ token, tls: { caFile: server.certificateFile } }).whoami()).username).toBe(operator.username);
  });

  it('refuses another certificate before sending anything: an impostor with its own self-signed certificate never sees the token', async () => {
    const impostor = await startImpostor();
    try {
      const error = await client({ url: impostor.url, token })
        .whoami()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TlsError);
      expect(error).toMatchObject({ status: 0, code: 'TLS_FINGERPRINT_MISMATCH' });
      expect(impostor.requests).toEqual([]);
      // Pinned to the impostor's own certificate the same call does reach it, so the check above could fail.
      await client({ url: impostor.url, token: 'not-a-secret', tls: { fingerprint256: impostor.fingerprint256 } })
        .whoami()
        .catch(() => undefined);
      expect(impostor.requests).toEqual(['GET /api/v1/auth/me']);
    } finally {
      await impostor.close();
    }

    const wrong = server.fingerprint256.replace(/^../, (first) => (first === 'AA' ? 'BB' : 'AA'));
    await expect(client({ token, tls: { fingerprint256: wrong } }).whoami()).rejects.toMatchObject({ name: 'TlsError', code: 'TLS_FINGERPRINT_MISMATCH' });

    const untrusted = await client({ token, tls: undefined })
      .whoami()
      .catch((caught: unknown) => caught);
    expect(untrusted).toBeInstanceOf(TlsError);
    expect(untrusted).toMatchObject({ code: 'TLS_CERTIFICATE_UNTRUSTED', reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });
});

describe('secrets', () => {
  it('never stood in a URL the SDK built, in any call of this file', () => {
    expect(requests.length).toBeGreaterThan(40);
    expect(secrets.length).toBeGreaterThan(8);
    const leaks = requests.flatMap((request) => secrets.filter((secret) => request.url.includes(secret) || request.url.includes(encodeURIComponent(secret))));
    expect(leaks).toEqual([]);
  });
});
