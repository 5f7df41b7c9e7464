import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount } from '../../test/factories.js';
import { bearerFor, createTestApi, createUser, serveOnLoopback, type TestApi } from '../../test/harness.js';
import { waitUntil } from '../../test/wait-until.js';
import { JOB_EVENTS_CHANNEL } from './job-events.js';

const LIMITS = { perClient: 3, total: 5 };

let api: TestApi;
let served: Awaited<ReturnType<typeof serveOnLoopback>> | undefined;
let base: string;
let tokenAuth: Record<string, string>;
let sessionAuth: Record<string, string>;
let jobId: string;

beforeAll(async () => {
  api = await createTestApi({ streamLimits: LIMITS });
  served = await serveOnLoopback(api);
  base = `http://127.0.0.1:${served.port}`;
  tokenAuth = { Authorization: `Bearer ${await bearerFor(api, 'operator', ['jobs.view'])}` };
  const user = await createUser(api, 'operator');
  const login = await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  sessionAuth = { Cookie: (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ') };
  // A job no worker will run: its stream stays open until the client leaves.
  const account = await createAccount(api);
  jobId = (await api.db.job.create({ data: { kind: 'CHECK', accountId: account.id } })).id;
});
afterAll(async () => {
  served?.close();
  await api?.close();
});

interface OpenStream {
  status: number;
  /** Problem body of a refused stream. */
  body: () => Promise<{ code?: string }>;
  /** `data:` frames received so far. */
  frames: string[];
  /** Whether the server has ended the stream. */
  ended(): boolean;
  close(): void;
}

const streams: OpenStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await waitUntil(() => api.services.eventStreams.open() === 0, 'every stream of the test is released');
});

/** Opens an event stream; resolves on the response head (and, for a 200, its first frame). */
async function openStream(path: string, headers: Record<string, string>): Promise<OpenStream> {
  const req = get(`${base}/api/v1${path}`, { headers: { Accept: 'text/event-stream', ...headers } });
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  res.setEncoding('utf8');
  const frames: string[] = [];
  let text = '';
  let ended = false;
  res.on('end', () => (ended = true));
  res.on('data', (chunk: string) => {
    text += chunk;
    for (const line of chunk.split('\n')) if (line.startsWith('data: ')) frames.push(line.slice(6));
  });
  const stream: OpenStream = {
    status: res.statusCode ?? 0,
    frames,
    ended: () => ended,
    body: async () => {
      if (!res.readableEnded) await once(res, 'end');
      return JSON.parse(text) as { code?: string };
    },
    close: () => req.destroy(),
  };
  streams.push(stream);
  if (stream.status === 200) await waitUntil(() => frames.length > 0, 'the stream sent its first frame');
  return stream;
}

const follow = (headers: Record<string, string>) => openStream(`/jobs/${jobId}/events`, headers);

describe('event streams', () => {
  it('are capped per token, per session and in total (429 RATE_LIMITED beyond), and a closed stream frees its place', async () => {
    for (let i = 0; i < LIMITS.perClient; i += 1) expect((await follow(tokenAuth)).status).toBe(200);
    const overClient = await follow(tokenAuth);
    expect(overClient.status).toBe(429);
    expect(await overClient.body()).toMatchObject({ code: 'RATE_LIMITED' });

    // The session is another client: it may open streams until the process-wide cap.
    const first = await follow(sessionAuth);
    expect(first.status).toBe(200);
    expect((await follow(sessionAuth)).status).toBe(200);
    const overTotal = await follow(sessionAuth);
    expect(overTotal.status).toBe(429);
    expect(await overTotal.body()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(api.services.eventStreams.open()).toBe(LIMITS.total);

    first.close();
    await waitUntil(() => api.services.eventStreams.open() === LIMITS.total - 1, 'the closed stream is released');
    expect((await follow(sessionAuth)).status).toBe(200);
  });

  it('are all served by the one LISTEN connection of the hub: a notification reaches every stream', async () => {
    const open = [await follow(tokenAuth), await follow(tokenAuth), await follow(sessionAuth), await follow(sessionAuth)];
    expect(api.events.stats().listeners).toBe(open.length);
    const pid = api.events.stats().backendPid;
    expect(pid).not.toBeNull();
    // This API's hub has one connection to PostgreSQL, however many streams are open, and it is listening.
    const [hub] = await api.db.$queryRaw<{ connections: bigint; query: string }[]>`
      SELECT (SELECT count(*) FROM pg_stat_activity a WHERE a.application_name = me.application_name) AS connections, me.query
      FROM pg_stat_activity me WHERE me.pid = ${pid}`;
    expect(hub).toEqual({ connections: 1n, query: `LISTEN ${JOB_EVENTS_CHANNEL}` });

    await api.db.$executeRaw`SELECT pg_notify(${JOB_EVENTS_CHANNEL}, json_build_object('jobId', ${jobId}::uuid, 'batchId', NULL)::text)`;
    await waitUntil(() => open.every((s) => s.frames.length === 2), 'every stream rendered the notified change');
  });

  it('render again after the hub lost its connection and made it again (changes may have been missed meanwhile)', async () => {
    const open = [await follow(tokenAuth), await follow(sessionAuth)];
    const before = api.events.stats();
    await api.db.$executeRaw`SELECT pg_terminate_backend(${before.backendPid})`;
    await waitUntil(() => api.events.stats().reconnects === before.reconnects + 1, 'the hub reconnected');
    expect(api.events.stats().backendPid).not.toBe(before.backendPid);
    await waitUntil(() => open.every((s) => s.frames.length === 2), 'every stream rendered again');
  });

  it('end, sending nothing more, once the session or token that opened them has ended', async () => {
    const user = await createUser(api, 'operator');
    const login = await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
    const cookie = { Cookie: (login.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ') };
    const token = await api
      .request()
      .post('/api/v1/tokens')
      .set(cookie)
      .set('X-CSRF-Token', login.body.csrfToken)
      .send({ name: 'streams', scopes: ['jobs.view'] })
      .expect(201);
    const open = [await follow(cookie), await follow({ Authorization: `Bearer ${token.body.token}` })];

    await api.request().delete(`/api/v1/tokens/${token.body.id}`).set(cookie).set('X-CSRF-Token', login.body.csrfToken).expect(204);
    await api.request().post('/api/v1/auth/logout').set(cookie).set('X-CSRF-Token', login.body.csrfToken).expect(204);
    await api.db.$executeRaw`SELECT pg_notify(${JOB_EVENTS_CHANNEL}, json_build_object('jobId', ${jobId}::uuid, 'batchId', NULL)::text)`;
    await waitUntil(() => open.every((s) => s.ended()), 'both streams ended');
    expect(open.map((s) => s.frames.length)).toEqual([1, 1]);
  });

  it('refuse a job that does not exist with 404 before counting a stream', async () => {
    const missing = await openStream('/jobs/00000000-0000-7000-8000-000000000000/events', tokenAuth);
    expect(missing.status).toBe(404);
    expect(api.services.eventStreams.open()).toBe(0);
  });
});
