import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, createUser, serveOnLoopback, unique, type TestApi } from '../../test/harness.js';

// Login throttling by real source address: the app is served on a loopback port with
// `trust proxy` off, and each client binds its socket to its own 127/8 address.

let api: TestApi;
let served: Awaited<ReturnType<typeof serveOnLoopback>>;
let port: number;

beforeAll(async () => {
  api = await createTestApi({ trustProxy: false });
  served = await serveOnLoopback(api);
  port = served.port;
});
afterAll(async () => {
  served.close();
  await api.close();
});

interface Reply {
  status: number;
  body: { code?: string; user?: { id: string } };
  retryAfter?: string;
}

/** POST /auth/login from `localAddress` (a fresh connection each time). */
function loginFrom(localAddress: string, username: string, password: string, headers: Record<string, string> = {}): Promise<Reply> {
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        agent: false,
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, retryAfter: res.headers['retry-after'] as string | undefined });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A loopback address of its own for each client of each test, so no two tests share throttle state. */
let nextHost = 2;
const source = () => `127.0.${Math.floor(Math.random() * 200) + 20}.${nextHost++}`;

describe('login throttling by source address', () => {
  it('blocks the guessing address for that user, while the real user logs in at once from another address', async () => {
    const user = await createUser(api, 'operator');
    const attacker = source();
    const realUser = source();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await loginFrom(attacker, user.username, `wrong-${i}`)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);

    const blocked = await loginFrom(attacker, user.username, user.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('RATE_LIMITED');
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);

    const real = await loginFrom(realUser, user.username, user.password);
    expect(real.status).toBe(200);
    expect(real.body.user?.id).toBe(user.id);
  });

  it('ignores X-Forwarded-For when no proxy is trusted: a spoofed header does not escape the block', async () => {
    const user = await createUser(api, 'operator');
    const attacker = source();
    for (let i = 0; i < 5; i += 1) {
      expect((await loginFrom(attacker, user.username, `wrong-${i}`, { 'X-Forwarded-For': `203.0.113.${i + 1}` })).status).toBe(401);
    }
    const spoofed = await loginFrom(attacker, user.username, user.password, { 'X-Forwarded-For': '203.0.113.99' });
    expect(spoofed.status).toBe(429);
  });

  it('still blocks one address guessing many usernames, for every user, but not other addresses', async () => {
    const attacker = source();
    for (let i = 0; i < 30; i += 1) {
      expect((await loginFrom(attacker, unique('guess').toLowerCase(), 'x')).status).toBe(401);
    }
    const user = await createUser(api, 'operator');
    const refused = await loginFrom(attacker, user.username, user.password);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect((await loginFrom(source(), user.username, user.password)).status).toBe(200);
  });
});
