import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createMigratedDatabase, dropDatabase, reserveClosedPort } from '@passman/testkit';
import { createHttpServer, DEFAULT_HTTP_SERVER_SETTINGS } from '../../http/http-server.js';
import { createTestApi, randomClientIp } from '../harness.js';
import { sendFuzzRequest, type FuzzResponse } from './fuzz-client.js';
import { addIds, dropId, fuzzCredentials, fuzzFixtures, type FuzzIds } from './fuzz-fixtures.js';
import { anyRequest, describeRequest, operationsOf, schemaContext, type FuzzRequest } from './request-arbitrary.js';

export interface FuzzOptions {
  /** PostgreSQL maintenance URL: the run makes a database of its own there and drops it after. */
  adminUrl: string;
  seed: number;
  runs: number;
  /** Replays one case of an earlier failure (fast-check's `path`). */
  path?: string;
}

export interface FuzzReport {
  runs: number;
  /** Status counts per operation, e.g. { createTarget: { 201: 12, 422: 30 } }. */
  statuses: Record<string, Record<number, number>>;
  /** Milliseconds spent per operation, to see where a run's time goes. */
  elapsedMs: Record<string, number>;
  operations: string[];
}

class FuzzFailure extends Error {}

/** Every answer is below 500; every error is RFC 9457 problem+json naming its status and code; a stream is an event stream. */
function check(request: FuzzRequest, response: FuzzResponse, serverErrors: () => string[]): void {
  const fail = (why: string) => {
    const logged = serverErrors().slice(-1)[0];
    throw new FuzzFailure(
      [
        `${why}`,
        describeRequest(request),
        `  answer: ${response.status} ${String(response.headers['content-type'])} ${response.text.slice(0, 1000)}`,
        ...(logged ? [`  server log: ${logged.slice(0, 3000)}`] : []),
      ].join('\n'),
    );
  };
  if (response.status >= 500) fail(`answered ${response.status}`);
  if (response.status >= 400) {
    if (!String(response.headers['content-type']).startsWith('application/problem+json')) fail('an error that is not problem+json');
    let problem: { status?: unknown; code?: unknown };
    try {
      problem = JSON.parse(response.text) as typeof problem;
    } catch {
      return fail('a problem body that is not JSON');
    }
    if (problem.status !== response.status || typeof problem.code !== 'string') fail('a problem without its status and code');
  }
  if (request.stream && response.status === 200 && !String(response.headers['content-type']).startsWith('text/event-stream'))
    fail('a stream that is not text/event-stream');
}

/**
 * Schema-driven fuzzing of the whole API: requests for every operation of the OpenAPI
 * document the app serves, sent over HTTP to the real app on real PostgreSQL (in a database
 * of its own), as an admin (API token or browser session) and sometimes as nobody. No worker
 * runs: requests that start SSH work only queue jobs.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const databaseUrl = await createMigratedDatabase(options.adminUrl, 'passman_fuzz');
  const api = await createTestApi({ databaseUrl });
  // The server `npm start` listens with (its timeouts, header limits and problem+json for what Node refuses), without TLS.
  const server = createHttpServer(api.app, DEFAULT_HTTP_SERVER_SETTINGS);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const closedPort = await reserveClosedPort();
  try {
    const { credentials, relogin, adminIds } = await fuzzCredentials(api);
    const makeFixtures = () => fuzzFixtures(api, credentials, closedPort, adminIds);
    const ids: FuzzIds = {};
    addIds(ids, await makeFixtures());
    const initial = Object.fromEntries(Object.entries(ids).map(([name, list]) => [name, list.length]));
    const depleted = () => Object.entries(ids).some(([name, list]) => list.length * 3 < (initial[name] ?? 0) || list.length === 0);
    const doc = (await api.request().get('/api/openapi.json').expect(200)).body as Parameters<typeof operationsOf>[0];
    const operations = operationsOf(doc);
    const ctx = schemaContext(doc, ids);
    const statuses: FuzzReport['statuses'] = {};
    const elapsedMs: FuzzReport['elapsedMs'] = {};
    const serverErrors = () => api.logLines.filter((line) => line.includes('"unhandled error"'));

    const property = fc.asyncProperty(anyRequest(operations, ctx), async (request) => {
      const started = performance.now();
      const response = await sendFuzzRequest(origin, request, credentials, randomClientIp());
      elapsedMs[request.operationId] = (elapsedMs[request.operationId] ?? 0) + performance.now() - started;
      const counts = (statuses[request.operationId] ??= {});
      counts[response.status] = (counts[response.status] ?? 0) + 1;
      check(request, response, serverErrors);
      // The fuzzer's own session may have ended (a logout or an end-my-session it sent): log in again.
      if (request.auth === 'session' && response.status === 401) await relogin();
      // A real row deleted (or found gone, e.g. with its target): new ones take its place, so
      // later requests still reach the services.
      const gone = (request.method === 'DELETE' && response.status < 300) || (request.method === 'GET' && response.status === 404);
      const id = gone ? /\/([0-9a-f-]{36})(?:[/?]|$)/.exec(request.url)?.[1] : undefined;
      if (id && dropId(ids, id) && depleted()) addIds(ids, await makeFixtures());
    });
    // The first failing request is reported as it is: requests change the database, so a
    // shrunk one would not be what failed.
    const run = await fc.check(property, { seed: options.seed, numRuns: options.runs, endOnFailure: true, ...(options.path ? { path: options.path } : {}) });
    if (run.failed) {
      const [request] = run.counterexample ?? [];
      const why =
        run.errorInstance instanceof FuzzFailure ? run.errorInstance.message : `${String(run.errorInstance)}\n${request ? describeRequest(request) : ''}`;
      throw new Error(
        [
          `Fuzz failure at request ${run.numRuns} of seed ${run.seed}, path ${run.counterexamplePath}:`,
          why,
          `Replay the run: npm run fuzz -- --seed ${run.seed} --runs ${options.runs}; the one request: npm run fuzz -- --seed ${run.seed} --path ${run.counterexamplePath}`,
        ].join('\n'),
      );
    }
    return { runs: options.runs, statuses, elapsedMs, operations: operations.map((o) => o.operationId) };
  } finally {
    closedPort.release();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await api.close();
    await dropDatabase(options.adminUrl, databaseUrl);
  }
}
