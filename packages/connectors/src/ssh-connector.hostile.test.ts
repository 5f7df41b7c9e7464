import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isMultiLineText } from '@passman/contracts/limits';
import { collectUnexpectedErrors } from '@passman/testkit';
import { ConnectorError } from './connector-error.js';
import { createSshConnector } from './ssh-connector.js';

// A hostile host chooses the words of its SSH DISCONNECT message; they become part of the
// error PassMan stores with the job, so they must come out as storable, bounded text.

/** An SSH_MSG_DISCONNECT binary packet, sent in the clear right after the version exchange. */
function disconnectPacket(description: Buffer): Buffer {
  const payload = Buffer.concat([Buffer.from([1]), u32(2), u32(description.length), description, u32(0)]);
  const padding = 8 - ((payload.length + 5) % 8) + 8;
  return Buffer.concat([u32(payload.length + padding + 1), Buffer.from([padding]), payload, Buffer.alloc(padding)]);
}
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

describe('ssh connector: a hostile host', () => {
  const unexpected = collectUnexpectedErrors();
  const connector = createSshConnector({ onUnexpectedError: unexpected.hook, readyTimeoutMs: 5_000 });
  let server: Server;
  let description: Buffer;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.write('SSH-2.0-Hostile_1.0\r\n');
      socket.end(disconnectPacket(description));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ['NUL and escape sequences', Buffer.from('bye\u0000\u001b[2J\u001b]0;owned\u0007 now', 'utf8')],
    ['invalid UTF-8 and a lone surrogate', Buffer.concat([Buffer.from('x'), Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from('y')])],
    ['64 KB of text', Buffer.from('A'.repeat(65_000))],
  ])('its DISCONNECT text with %s becomes storable, bounded text', async (_what, text) => {
    description = text;
    const port = (server.address() as AddressInfo).port;
    const error = await connector
      .verify({ target: { host: '127.0.0.1', port, hostKeyPins: ['SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] }, login: { username: 'root', credential: { type: 'password', password: 'never-sent-1' } } })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(error).toBeInstanceOf(ConnectorError);
    const { code, message } = error as ConnectorError;
    expect(code).toBe('PROTOCOL_ERROR');
    expect(isMultiLineText(message) && !/[\r\n]/.test(message)).toBe(true);
    expect(message.length).toBeLessThan(400);
  });
});
