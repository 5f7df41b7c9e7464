import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackages } from '../debian-packages.js';
import { acceptsConnections, freePort } from '../loopback.js';
import { makeTestPki, type TestPki } from '../slapd/slapd.js';

export interface Rsyslog {
  host: '127.0.0.1';
  /** Syslog over TCP with octet-counting framing (RFC 6587). */
  tcpPort: number;
  /** Syslog over TLS (RFC 5425), no client certificate asked for. */
  tlsPort: number;
  /** Syslog over TLS that admits only clients with a certificate from `pki`'s CA. */
  mtlsPort: number;
  udpPort: number;
  /** The CA, rsyslog's server certificate and a client certificate, all PEM. */
  pki: TestPki & { client: { certPem: string; keyPem: string } };
  /** PEM files of `pki` in rsyslog's directory, for clients configured with file paths. */
  files: { ca: string; clientCert: string; clientKey: string };
  /** Every message received so far, raw as it came (without the TCP framing), oldest first. */
  messages(): string[];
  /** Resolves with the messages once `done(messages)` holds; rejects after `timeoutMs`. */
  waitFor(done: (messages: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
  /** Stops the daemon (a receiver outage); `start()` brings it back on the same ports. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

/** Whether a UDP socket is bound to 127.0.0.1:`port` (UDP has no connection to try). */
function udpBound(port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1] === local);
}

/**
 * A real rsyslogd (`rsyslogd -n -f <conf> -i <pidfile>`) with its own configuration and work
 * directory in a temporary directory, never the system's: it listens on free loopback ports
 * (TCP, TLS, TLS with client certificates, UDP) and writes each message it receives, raw
 * (`%rawmsg%`), as one line of a file the test reads.
 */
export async function startRsyslog(): Promise<Rsyslog> {
  await ensureDebianPackages([
    { path: '/usr/sbin/rsyslogd', pkg: 'rsyslog' },
    // The TLS driver is a plugin in an architecture's directory: its package's copyright file says it is there.
    { path: '/usr/share/doc/rsyslog-gnutls/copyright', pkg: 'rsyslog-gnutls', readOnly: true },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'passman-rsyslog-'));
  mkdirSync(join(dir, 'work'));
  const pki = makeTestPki({ client: true }) as Rsyslog['pki'];
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content, { mode: 0o600 });
    return join(dir, name);
  };
  const ca = file('ca.pem', pki.caPem);
  const cert = file('cert.pem', pki.certPem);
  const key = file('key.pem', pki.keyPem);
  const files = { ca, clientCert: file('client-cert.pem', pki.client.certPem), clientKey: file('client-key.pem', pki.client.keyPem) };
  const [tcpPort, tlsPort, mtlsPort, udpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const received = join(dir, 'received.log');
  const tls = (authMode: string) =>
    `streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="${authMode}" streamDriver.CAFile="${ca}" streamDriver.CertFile="${cert}" streamDriver.KeyFile="${key}"`;
  const config = [
    `global(workDirectory="${join(dir, 'work')}" maxMessageSize="64k")`,
    'module(load="imtcp")',
    'module(load="imudp")',
    // The message as it came: PRI, header, structured data and text, unparsed.
    'template(name="raw" type="string" string="%rawmsg%\\n")',
    `input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="received")`,
    `input(type="imtcp" address="127.0.0.1" port="${tlsPort}" ruleset="received" ${tls('anon')})`,
    `input(type="imtcp" address="127.0.0.1" port="${mtlsPort}" ruleset="received" ${tls('x509/certvalid')})`,
    `input(type="imudp" address="127.0.0.1" port="${udpPort}" ruleset="received")`,
    `ruleset(name="received") { action(type="omfile" file="${received}" template="raw") }`,
    '',
  ].join('\n');
  const configPath = join(dir, 'rsyslog.conf');
  writeFileSync(configPath, config);

  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';
  async function start(): Promise<void> {
    output = '';
    const proc = spawn('/usr/sbin/rsyslogd', ['-n', '-f', configPath, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 20_000;
    while (
      proc.exitCode === null &&
      !((await acceptsConnections(tcpPort)) && (await acceptsConnections(tlsPort)) && (await acceptsConnections(mtlsPort)) && udpBound(udpPort))
    ) {
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`rsyslogd did not listen within 20 s: ${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (proc.exitCode !== null) throw new Error(`rsyslogd exited: ${output}`);
  }
  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    if (proc && proc.exitCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
  }
  const messages = () => (existsSync(received) ? readFileSync(received, 'utf8').split('\n').slice(0, -1) : []);

  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: '127.0.0.1',
    tcpPort,
    tlsPort,
    mtlsPort,
    udpPort,
    pki,
    files,
    messages,
    async waitFor(done, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = messages();
        if (done(now)) return now;
        if (Date.now() > deadline) throw new Error(`rsyslog did not receive what was expected within ${timeoutMs} ms (${now.length} messages): ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
