import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isMultiLineText } from '@passman/contracts/limits';
import { collectUnexpectedErrors, generateTestKeyPair } from '@passman/testkit';
import ssh2 from 'ssh2';
import { ConnectorError } from './connector-error.js';
import { createSshConnector } from './ssh-connector.js';

const { Server: SshServer } = ssh2;

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
      .verify({
        target: { host: '127.0.0.1', port, hostKeyPins: ['SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] },
        login: { username: 'root', credential: { type: 'password', password: 'never-sent-1' } },
      })
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

/**
 * ssh2's server sends its DISCONNECT without words; a hostile host chooses them. Framed and
 * encrypted by the connection's own packet writer, like any packet after the key exchange.
 */
function disconnectSaying(conn: unknown, text: string): void {
  type Writer = { allocStartKEX: number; alloc(n: number, force: boolean): Buffer; finalize(p: Buffer, force: boolean): Buffer };
  const proto = (conn as { _protocol: { _packetRW: { write: Writer }; _cipher: { encrypt(p: Buffer): void } } })._protocol;
  const description = Buffer.from(text, 'utf8');
  const at = proto._packetRW.write.allocStartKEX;
  const packet = proto._packetRW.write.alloc(13 + description.length, true);
  packet[at] = 1; // SSH_MSG_DISCONNECT
  packet.writeUInt32BE(2, at + 1); // PROTOCOL_ERROR
  packet.writeUInt32BE(description.length, at + 5);
  description.copy(packet, at + 9);
  packet.writeUInt32BE(0, at + 9 + description.length);
  proto._cipher.encrypt(proto._packetRW.write.finalize(packet, true));
}

describe('ssh connector: a hostile host that repeats the secrets it was sent', () => {
  // The host learns the login password and whatever goes to stdin; the words it sends back
  // become the job's error text, which people without the right to check out may read.
  let fingerprint: string;
  let mode: 'at-login' | 'after-stdin' | 'stderr-then-fail';
  let server: InstanceType<typeof SshServer>;
  let port: number;
  beforeAll(async () => {
    // Keys come from node:crypto: ssh2's own generator writes about one ed25519 key in 256
    // that its parser then refuses (it strips leading zero bytes of the public key).
    const hostKey = await generateTestKeyPair('ssh-ed25519');
    fingerprint = hostKey.fingerprint;
    server = new SshServer({ hostKeys: [hostKey.privateKey] }, (conn) => {
      conn.on('error', () => undefined);
      conn.on('authentication', (ctx) => {
        if (ctx.method !== 'password') return ctx.reject(['password']);
        if (mode === 'at-login') {
          disconnectSaying(conn, `login refused for ${ctx.password} ok`);
          setImmediate(() => conn.end());
          return;
        }
        ctx.accept();
        conn.on('session', (accept) => {
          accept().on('exec', (acceptExec) => {
            const channel = acceptExec();
            let stdin = '';
            channel.on('data', (chunk: Buffer) => (stdin += chunk.toString('utf8')));
            channel.on('end', () => {
              const told = `${stdin.replace(/\n/g, ' ')} / ${ctx.password}`;
              if (mode === 'after-stdin') {
                disconnectSaying(conn, told);
                setImmediate(() => conn.end());
                return;
              }
              channel.stderr.write(`${told}\n`);
              channel.exit(1);
              channel.end();
            });
          });
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const connector = createSshConnector({ readyTimeoutMs: 5_000 });
  const target = () => ({ host: '127.0.0.1', port, hostKeyPins: [fingerprint] });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (err: unknown) => err as ConnectorError,
    );
  /** Everything of an error a caller could store or show. */
  const shown = (error: ConnectorError) => `${error.message} ${JSON.stringify(error.details)}`;

  it('does not repeat the login password the host names in its DISCONNECT', async () => {
    mode = 'at-login';
    const password = 'Login-Secret-4711';
    const error = await failure(connector.verify({ target: target(), login: { username: 'deploy', credential: { type: 'password', password } } }));
    expect(error.code).toBe('PROTOCOL_ERROR');
    expect(error.message).toContain('login refused for');
    expect(shown(error)).not.toContain(password);
  });

  it('does not repeat the old or the new password the host names in its DISCONNECT after a passwd', async () => {
    mode = 'after-stdin';
    const [current, next] = ['Current-Secret-0815', 'Next-Secret-2342'];
    const error = await failure(
      connector.changePassword({ target: target(), username: 'deploy', newPassword: next, via: { method: 'self', currentPassword: current } }),
    );
    expect(error.code).toBe('PROTOCOL_ERROR');
    for (const secret of [current, next]) expect(shown(error)).not.toContain(secret);
  });

  it('does not keep the root login password a failing chpasswd prints', async () => {
    mode = 'stderr-then-fail';
    const [rootPassword, next] = ['Root-Secret-1234', 'Next-Secret-5678'];
    const error = await failure(
      connector.changePassword({
        target: target(),
        username: 'deploy',
        newPassword: next,
        via: { method: 'root', login: { username: 'root', credential: { type: 'password', password: rootPassword } } },
      }),
    );
    expect(error.code).toBe('COMMAND_FAILED');
    expect(String(error.details.stderr)).toContain('***');
    for (const secret of [rootPassword, next]) expect(shown(error)).not.toContain(secret);
  });

  it('does not keep the login password a failing authorized_keys update prints', async () => {
    mode = 'stderr-then-fail';
    const password = 'Own-Secret-9876';
    const { publicKey } = await generateTestKeyPair('ssh-ed25519');
    const error = await failure(
      connector.installKey({ target: target(), login: { username: 'deploy', credential: { type: 'password', password } }, publicKey }),
    );
    expect(error.code).toBe('COMMAND_FAILED');
    expect(shown(error)).not.toContain(password);
  });
});
