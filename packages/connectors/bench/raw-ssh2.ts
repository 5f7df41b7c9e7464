import { createHash } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import ssh2 from 'ssh2';
import type { PasswordAuthMethod } from 'ssh2';

/**
 * The baseline: the fewest ssh2 calls that do what the connector does — own socket with
 * noDelay, host key checked against a pinned fingerprint, password-only auth (no 'none'
 * probe), and for a change `passwd` fed on stdin — with none of the connector's validation,
 * limits, deadlines or error mapping.
 */
export interface RawLogin {
  host: string;
  port: number;
  pin: string;
  username: string;
  password: string;
}

function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function login(params: RawLogin, onReady: (client: InstanceType<typeof ssh2.Client>, done: (err?: Error) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let finished = false;
    const done = (err?: Error): void => {
      if (finished) return;
      finished = true;
      client.end();
      if (err) reject(err);
      else resolve();
    };
    client.on('error', (err) => done(err));
    client.on('ready', () => onReady(client, done));
    const method: PasswordAuthMethod = { type: 'password', username: params.username, password: params.password };
    client.connect({
      sock: netConnect({ host: params.host, port: params.port, noDelay: true }),
      username: params.username,
      authHandler: [method],
      hostVerifier: (key: Buffer) => fingerprint(key) === params.pin,
      readyTimeout: 10_000,
      keepaliveInterval: 5_000,
    });
  });
}

export function rawVerify(params: RawLogin): Promise<void> {
  return login(params, (_client, done) => done());
}

export function rawChangePassword(params: RawLogin, newPassword: string): Promise<void> {
  return login(params, (client, done) => {
    client.exec('passwd', (err, channel) => {
      if (err) return done(err);
      let code: number | null = null;
      channel.on('exit', (c: number | null) => {
        code = c;
      });
      channel.on('close', () => done(code === 0 ? undefined : new Error(`passwd exited ${code}`)));
      channel.resume();
      channel.stderr.resume();
      channel.end(`${params.password}\n${newPassword}\n${newPassword}\n`);
    });
  });
}
