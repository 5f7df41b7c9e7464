import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, serveOnLoopback, type TestApi } from '../test/harness.js';
import { waitUntil } from '../test/wait-until.js';

let api: TestApi;
let served: Awaited<ReturnType<typeof serveOnLoopback>>;
let port: number;
beforeAll(async () => {
  api = await createTestApi();
  served = await serveOnLoopback(api);
  port = served.port;
});
afterAll(async () => {
  served.close();
  await api.close();
});

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
}

const linesOf = (requestId: string): LogLine[] => api.logLines.map((line) => JSON.parse(line) as LogLine).filter((line) => line.requestId === requestId);

describe('a client that goes away mid-request', () => {
  it('is logged at info as an aborted request, never as an unhandled error', async () => {
    const requestId = `abort-${randomUUID()}`;
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    // Promises 1,000 bytes of JSON, sends 20, then hangs up.
    socket.write(
      `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nX-Request-Id: ${requestId}\r\n\r\n{"username":"someo`,
    );
    // Sent on: the server has started reading the body when the connection drops.
    await new Promise<void>((resolve) => socket.write('ne', () => resolve()));
    socket.destroy();

    // The error handler's line (not pino-http's "request aborted"/"request completed").
    const handlerLines = () => linesOf(requestId).filter((line) => !line.msg.startsWith('request '));
    await waitUntil(() => handlerLines().length > 0, 'the error handler logged the aborted request');
    const [line] = handlerLines();
    expect(line).toMatchObject({ level: 30, msg: 'client aborted the request' });
    expect(linesOf(requestId).some((l) => l.level >= 50)).toBe(false);
  });
});
