import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect, createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { reserveClosedPort } from './closed-port.js';
import { ensureSshTools } from './ensure-ssh-tools.js';
import { opensshLogin } from './openssh-client.js';
import { startSilentServer } from './silent-server.js';
import { startSshTarget, type SshTarget } from './ssh-target.js';
import { startSshTargets } from './ssh-targets.js';
import { startTcpRelay } from './tcp-relay.js';
import { attachSshTarget, type SshTargetDescriptor } from './target-handle.js';
import { fingerprintOf, generateTestKeyPair } from './test-keys.js';

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const HOST_FILES = ['/etc/shadow', '/etc/passwd', '/etc/group', '/etc/gshadow'];

function hostSnapshot(): Record<string, string> {
  const snapshot: Record<string, string> = {};
  for (const path of HOST_FILES) snapshot[path] = digest(path);
  snapshot['/etc/sudoers.d'] = readdirSync('/etc/sudoers.d').sort().join(',');
  snapshot['/home'] = readdirSync('/home').sort().join(',');
  return snapshot;
}

function tcpConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

describe('SSH test targets', () => {
  let target: SshTarget;
  let before: Record<string, string>;

  beforeAll(async () => {
    // Installing OpenSSH and sudo on a fresh machine changes /etc itself: snapshot after that.
    await ensureSshTools();
    before = hostSnapshot();
    target = await startSshTarget();
  });

  afterAll(async () => {
    await target?.stop();
  });

  it('listens on its own 127.0.10.<n>:2222 with a fresh Ed25519 host key', async () => {
    expect(target.host).toMatch(/^127\.0\.10\.\d{1,3}$/);
    expect(target.port).toBe(2222);
    expect(target.hostKeys).toHaveLength(1);
    expect(target.hostKeys[0]!.algorithm).toBe('ssh-ed25519');
    // Independent check of the fingerprint: OpenSSH's ssh-keyscan + ssh-keygen -l.
    const scanned = execFileSync('ssh-keyscan', ['-p', '2222', '-t', 'ed25519', target.host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const printed = execFileSync('ssh-keygen', ['-l', '-f', '-'], { input: scanned, encoding: 'utf8' });
    expect(printed).toContain(target.fingerprints[0]);
  });

  it('creates users with passwords (sha512crypt) and keys, only inside the target', async () => {
    const key = await generateTestKeyPair('ssh-ed25519');
    await target.addUsers([{ name: 'tk_alice', password: 'tk-Alice-pw1', authorizedKeys: [key.publicKey] }]);
    const shadow = await target.readShadow();
    expect(shadow.get('tk_alice')).toMatch(/^tk_alice:\$6\$/);
    expect(readFileSync('/etc/passwd', 'utf8')).not.toContain('tk_alice');
    expect(existsSync('/home/tk_alice')).toBe(false);

    const byPassword = await opensshLogin({ target, user: 'tk_alice', credential: { password: 'tk-Alice-pw1' }, command: 'id -un' });
    expect(byPassword).toMatchObject({ code: 0, stdout: 'tk_alice\n' });
    const byKey = await opensshLogin({
      target,
      user: 'tk_alice',
      credential: { privateKey: key.privateKey },
      command: 'stat -c "%U %a" ~/.ssh ~/.ssh/authorized_keys',
    });
    expect(byKey).toMatchObject({ code: 0, stdout: 'tk_alice 700\ntk_alice 600\n' });
    const wrong = await opensshLogin({ target, user: 'tk_alice', credential: { password: 'not-it' } });
    expect(wrong.code).not.toBe(0);
  });

  it('gives a managing user chpasswd through sudo, and can hand ~/.ssh to another owner', async () => {
    await target.addUsers([
      { name: 'tk_mgr', password: 'tk-Mgr-pw1', sudoChpasswd: true },
      { name: 'tk_odd', password: 'tk-Odd-pw1', authorizedKeys: [], sshDirOwner: 'root' },
    ]);
    const sudo = await target.run(['sudo', '-l', '-U', 'tk_mgr']);
    expect(sudo.stdout).toContain('(root) /usr/sbin/chpasswd');
    const owner = await target.run(['stat', '-c', '%U', '/home/tk_odd/.ssh']);
    expect(owner.stdout.trim()).toBe('root');
    const asUser = await target.runAs('tk_odd', 'id -un');
    expect(asUser.stdout.trim()).toBe('tk_odd');
  });

  it('replaces its host key on demand, as a re-installed host would', async () => {
    const old = target.fingerprints[0];
    const [replaced] = await target.replaceHostKeys();
    expect(replaced!.fingerprint).not.toBe(old);
    expect(fingerprintOf(replaced!.publicKey)).toBe(replaced!.fingerprint);
    const scanned = execFileSync('ssh-keyscan', ['-p', '2222', target.host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(scanned).toContain(replaced!.publicKey);
  });

  it('can be used from another process through its JSON descriptor (jest globalSetup → workers)', async () => {
    const attached = attachSshTarget(JSON.parse(JSON.stringify(target.describe())) as SshTargetDescriptor);
    expect(attached.fingerprints).toEqual(target.fingerprints);
    await attached.addUsers([{ name: 'tk_remote', password: 'tk-Remote-pw1' }]);
    expect((await attached.readShadow()).get('tk_remote')).toMatch(/^tk_remote:\$6\$/);
    expect((await opensshLogin({ target: attached, user: 'tk_remote', credential: { password: 'tk-Remote-pw1' } })).code).toBe(0);
    expect(attached.log.since()).toContain('Accepted password for tk_remote');
  });

  it('never touches the host: /etc and /home are as before', () => {
    expect(hostSnapshot()).toEqual(before);
  });
});

describe('several targets', () => {
  it('get distinct addresses, other sshd options and host key types, and stop completely', async () => {
    const group = await startSshTargets({
      count: 3,
      maxStartups: '3',
      perTarget: (i) => (i === 0 ? { hostKeyTypes: ['ecdsa', 'ed25519'], pubkeyAcceptedAlgorithms: '+ssh-dss,ssh-rsa' } : {}),
    });
    const hosts = group.targets.map((t) => t.host);
    const dirs = group.targets.map((t) => dirname(t.log.path));
    expect(new Set(hosts).size).toBe(3);
    expect(group.targets[0]!.hostKeys.map((k) => k.algorithm)).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
    const config = await group.targets[0]!.run(['sshd', '-T', '-f', `${dirs[0]}/sshd_config`]);
    expect(config.stdout).toMatch(/^pubkeyacceptedalgorithms .*ssh-dss/m);
    expect(config.stdout).toMatch(/^maxstartups 3:/m);
    for (const t of group.targets) expect(await tcpConnect(t.host, t.port)).toBe('connected');
    await group.stop();
    for (const t of group.targets) expect(await tcpConnect(t.host, t.port)).toBe('ECONNREFUSED');
    const processes = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).split('\n');
    expect(processes.filter((line) => dirs.some((dir) => line.includes(dir)))).toEqual([]);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
  });
});

describe('network helpers', () => {
  it('a silent server accepts TCP and never speaks', async () => {
    const silent = await startSilentServer();
    const socket = connect({ host: silent.host, port: silent.port });
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    await new Promise((resolve) => socket.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual([]);
    expect(silent.connections).toBe(1);
    socket.destroy();
    await silent.close();
  });

  it('a TCP relay carries bytes both ways, cuts and refuses while paused, and comes back on the same port', async () => {
    const echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
    const relay = await startTcpRelay({ host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
    const roundTrip = (socket: ReturnType<typeof connect>, text: string) =>
      new Promise<string>((resolve) => {
        socket.once('data', (d: Buffer) => resolve(d.toString()));
        socket.write(text);
      });
    const open = connect({ host: relay.host, port: relay.port });
    await new Promise((resolve) => open.once('connect', resolve));
    expect(await roundTrip(open, 'ping')).toBe('ping');
    const cut = new Promise((resolve) => open.once('close', resolve));
    open.on('error', () => undefined);
    const port = relay.port;
    await relay.pause();
    await cut;
    expect(await tcpConnect(relay.host, port)).toBe('ECONNREFUSED');
    await relay.resume();
    expect(relay.port).toBe(port);
    const again = connect({ host: relay.host, port });
    await new Promise((resolve) => again.once('connect', resolve));
    expect(await roundTrip(again, 'pong')).toBe('pong');
    again.destroy();
    await relay.close();
    await new Promise((resolve) => echo.close(resolve));
  });

  it('a closed port refuses connections', async () => {
    const closed = await reserveClosedPort();
    expect(await tcpConnect(closed.host, closed.port)).toBe('ECONNREFUSED');
    closed.release();
  });
});
