import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, type TestApi } from '../test/harness.js';
import { answerClientErrors } from './client-error.js';

// What Node's HTTP parser refuses never reaches Express; it still gets a problem+json answer.

let api: TestApi;
let server: Server;
let port: number;
beforeAll(async () => {
  api = await createTestApi();
  server = createServer({ connectionsCheckingInterval: 100 }, api.app);
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await api.close();
});

/** Sends raw bytes (and keeps its side open when asked) and reads until the server closes the connection. */
function raw(request: string, options: { keepOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => (options.keepOpen ? socket.write(request) : socket.end(request)));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function problemOf(answer: string): { status: number; contentType: string | undefined; body: { status: number; code: string } } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
    contentType: /\r\ncontent-type: ([^\r]+)/i.exec(head)?.[1],
    body: JSON.parse(body) as { status: number; code: string },
  };
}

describe('requests Node refuses before any route', () => {
  it('a URL over 16 KB is 431 problem+json', async () => {
    const answer = problemOf(await raw(`GET /api/v1/targets?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(answer).toEqual({ status: 431, contentType: 'application/problem+json', body: expect.objectContaining({ status: 431, code: 'HEADERS_TOO_LARGE' }) });
  });

  it('a request that never finishes arriving is 408 problem+json', async () => {
    // Headers never completed: Node gives up after headersTimeout (10 s by default), sooner here.
    server.headersTimeout = 300;
    server.requestTimeout = 300;
    const answer = problemOf(await raw('GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\n', { keepOpen: true }));
    expect(answer).toEqual({ status: 408, contentType: 'application/problem+json', body: expect.objectContaining({ status: 408, code: 'REQUEST_TIMEOUT' }) });
  });

  it('bytes that are not HTTP are 400 problem+json', async () => {
    const answer = problemOf(await raw('HELLO\u0000 /\r\n\r\n'));
    expect(answer).toEqual({ status: 400, contentType: 'application/problem+json', body: expect.objectContaining({ status: 400, code: 'BAD_REQUEST' }) });
  });
});
