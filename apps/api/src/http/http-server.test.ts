import { once } from 'node:events';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHttpServer, DEFAULT_HTTP_SERVER_SETTINGS, type HttpServerSettings } from './http-server.js';

const servers: Server[] = [];
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(() => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(settings: HttpServerSettings): Promise<number> {
  // Like express.json: answers once the whole body is read.
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  }, settings);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Connects, sends `head` at once, then `trickle` one byte every 50 ms, forever; collects what comes back. */
async function slowClient(port: number, head: string, trickle: string) {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => undefined); // a reset after the 408 is fine
  socket.write(head);
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(trickle[i++ % trickle.length]!);
  }, 50);
  timers.push(timer);
  // Generous: the configured timeouts below are well under a second.
  const closed = await Promise.race([once(socket, 'close').then(() => true), new Promise<boolean>((r) => timers.push(setTimeout(() => r(false), 10_000)))]);
  return { closed, received };
}

const short: HttpServerSettings = { ...DEFAULT_HTTP_SERVER_SETTINGS, headersTimeoutMs: 300, requestTimeoutMs: 600 };

describe('the HTTP server against slow clients', () => {
  it('answers 408 and closes the connection of a client that sends its headers too slowly', async () => {
    const port = await serve(short);
    const { closed, received } = await slowClient(port, 'GET / HTTP/1.1\r\nHost: x\r\n', 'X-Slow: a\r\n');
    expect(closed).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes the connection of a client that sends its body too slowly', async () => {
    const port = await serve(short);
    const { closed, received } = await slowClient(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n', 'a');
    expect(closed).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('applies every setting, with defaults well under Node’s (5 min per request, 1 min for headers)', async () => {
    const server = createHttpServer((_req, res) => res.end(), DEFAULT_HTTP_SERVER_SETTINGS);
    expect(server.requestTimeout).toBe(DEFAULT_HTTP_SERVER_SETTINGS.requestTimeoutMs);
    expect(server.headersTimeout).toBe(DEFAULT_HTTP_SERVER_SETTINGS.headersTimeoutMs);
    expect(server.keepAliveTimeout).toBe(DEFAULT_HTTP_SERVER_SETTINGS.keepAliveTimeoutMs);
    expect(server.maxHeadersCount).toBe(DEFAULT_HTTP_SERVER_SETTINGS.maxHeadersCount);
    expect(DEFAULT_HTTP_SERVER_SETTINGS.requestTimeoutMs).toBeLessThanOrEqual(60_000);
    expect(DEFAULT_HTTP_SERVER_SETTINGS.headersTimeoutMs).toBeLessThanOrEqual(DEFAULT_HTTP_SERVER_SETTINGS.requestTimeoutMs);
  });
});
