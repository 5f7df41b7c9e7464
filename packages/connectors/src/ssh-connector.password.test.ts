import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { collectUnexpectedErrors, generateTestKeyPair, opensshLogin, startSshTarget, startSilentServer, type SshTarget } from '@passman/testkit';
import { ConnectorError, type ConnectorErrorCode } from './connector-error.js';
import { createSshConnector } from './ssh-connector.js';
import type { Login, TargetEndpoint } from './target-connector.js';

const unexpected = collectUnexpectedErrors();
const connector = createSshConnector({ onUnexpectedError: unexpected.hook, authBackoffBaseMs: 1 });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectorError);
    return err as ConnectorError;
  }
  throw new Error('expected the operation to fail');
}

function expectCode(err: ConnectorError, code: ConnectorErrorCode): void {
  expect(err.code).toBe(code);
}

/** Every secret a test used must be absent from what an error exposes. */
function expectNoSecrets(err: ConnectorError, secrets: readonly string[]): void {
  const exposed = JSON.stringify({ message: err.message, details: err.details });
  for (const secret of secrets) expect(exposed).not.toContain(secret);
}

// Shell metacharacters, quotes, spaces, ':' (chpasswd's separator) and non-ASCII.
const NASTY = [`q'uo"te $(id) \`id\` ;&|`, 'with spaces  and a: colon', 'ünïcödé-pässwörd-€-日本語', '\\back\\slash ( ) $HOME ${X} * ? ~ # !'];

let seq = 0;
const userName = (prefix: string): string => `${prefix}${++seq}`;

describe('ssh connector: changing passwords on a real sshd', () => {
  let target: SshTarget;
  let endpoint: TargetEndpoint;
  const mgr = { name: 'pmgr', password: 'Mgr-sudo-pw-1' };
  const nopasswdMgr = { name: 'pmgr_nopw', password: 'Mgr-nopw-pw-1' };
  const root = { name: 'root', password: 'Root-pw-for-tests-1' };
  let mgrKey: Awaited<ReturnType<typeof generateTestKeyPair>>;

  beforeAll(async () => {
    mgrKey = await generateTestKeyPair('ssh-ed25519');
    target = await startSshTarget({
      permitRootLogin: 'yes',
      users: [
        { ...mgr, sudoChpasswd: true, authorizedKeys: [mgrKey.publicKey] },
        { ...nopasswdMgr, sudoChpasswd: 'nopasswd' },
        root,
        { name: 'bystander', password: 'Bystander-pw-1' },
      ],
    });
    endpoint = { host: target.host, port: target.port, hostKeyPins: target.fingerprints };
  });

  afterAll(async () => {
    await target?.stop();
  });

  afterEach(() => unexpected.assertNone());

  async function provePassword(user: string, newPassword: string, oldPassword: string): Promise<void> {
    // Independent proof with OpenSSH's own client: the new password logs in, the old does not.
    const withNew = await opensshLogin({ target, user, credential: { password: newPassword }, command: 'id -un' });
    expect(withNew).toMatchObject({ code: 0, stdout: `${user}\n` });
    const withOld = await opensshLogin({ target, user, credential: { password: oldPassword } });
    expect(withOld.code).not.toBe(0);
  }

  it.each(NASTY)('the account changes its own password with passwd on stdin: %s', async (newPassword) => {
    const name = userName('self');
    const old = `Old pw of ${name}`;
    await target.addUsers([{ name, password: old }]);
    const othersBefore = await target.readShadow();
    await connector.changePassword({ target: endpoint, username: name, newPassword, via: { method: 'self', currentPassword: old } });
    const othersAfter = await target.readShadow();
    // passwd hashes with the target's default (yescrypt on Debian 12), not the sha512crypt the test set.
    expect(othersAfter.get(name)).toMatch(new RegExp(`^${name}:\\$y\\$`));
    othersBefore.delete(name);
    othersAfter.delete(name);
    expect(othersAfter).toEqual(othersBefore);
    await connector.verify({ target: endpoint, login: { username: name, credential: { type: 'password', password: newPassword } } });
  });

  it('proves a self change with OpenSSH: new password in, old one out', async () => {
    const name = userName('self');
    const old = 'Old-self-pw-1';
    const newPassword = NASTY[0]!;
    await target.addUsers([{ name, password: old }]);
    await connector.changePassword({ target: endpoint, username: name, newPassword, via: { method: 'self', currentPassword: old } });
    await provePassword(name, newPassword, old);
  });

  it.each([
    ['password', () => ({ username: mgr.name, credential: { type: 'password' as const, password: mgr.password } })],
    ['key', () => ({ username: mgr.name, credential: { type: 'key' as const, privateKey: mgrKey.privateKey } })],
  ])('a managing account (login by %s) changes it with sudo -S chpasswd; nobody else changes', async (_how, login: () => Login) => {
    const name = userName('sudo');
    const old = 'Old-sudo-pw-1';
    const newPassword = NASTY[1]! + NASTY[2]!;
    await target.addUsers([{ name, password: old }]);
    const before = await target.readShadow();
    await connector.changePassword({ target: endpoint, username: name, newPassword, via: { method: 'sudo', login: login(), sudoPassword: mgr.password } });
    const after = await target.readShadow();
    expect(after.get(name)).not.toBe(before.get(name));
    before.delete(name);
    after.delete(name);
    expect(after).toEqual(before);
    await provePassword(name, newPassword, old);
  });

  it('works with NOPASSWD sudo without writing a sudo password into chpasswd', async () => {
    const name = userName('nopw');
    const old = 'Old-nopw-pw-1';
    await target.addUsers([{ name, password: old }]);
    const login = { username: nopasswdMgr.name, credential: { type: 'password' as const, password: nopasswdMgr.password } };
    await connector.changePassword({ target: endpoint, username: name, newPassword: NASTY[3]!, via: { method: 'sudo', login } });
    await provePassword(name, NASTY[3]!, old);
  });

  it('a wrong sudo password fails with SUDO_REJECTED and the account keeps its password', async () => {
    const name = userName('sudo');
    const old = 'Old-sudo-pw-2';
    await target.addUsers([{ name, password: old }]);
    const before = await target.readShadow();
    const login = { username: mgr.name, credential: { type: 'password' as const, password: mgr.password } };
    const err = await failure(
      connector.changePassword({
        target: endpoint,
        username: name,
        newPassword: 'New-never-sent-1',
        via: { method: 'sudo', login, sudoPassword: 'not-the-sudo-pw' },
      }),
    );
    expectCode(err, 'SUDO_REJECTED');
    expect(err.outcomeUnknown).toBe(false);
    expectNoSecrets(err, ['New-never-sent-1', 'not-the-sudo-pw', mgr.password]);
    expect(await target.readShadow()).toEqual(before);
    // And when sudo needs a password but none is configured:
    const none = await failure(connector.changePassword({ target: endpoint, username: name, newPassword: 'New-never-sent-1', via: { method: 'sudo', login } }));
    expectCode(none, 'SUDO_REJECTED');
    expect(await target.readShadow()).toEqual(before);
  });

  it('root changes it with chpasswd', async () => {
    const name = userName('root');
    const old = 'Old-root-pw-1';
    const newPassword = NASTY[0]! + NASTY[1]!;
    await target.addUsers([{ name, password: old }]);
    const before = await target.readShadow();
    const login = { username: 'root', credential: { type: 'password' as const, password: root.password } };
    await connector.changePassword({ target: endpoint, username: name, newPassword, via: { method: 'root', login } });
    const after = await target.readShadow();
    before.delete(name);
    after.delete(name);
    expect(after).toEqual(before);
    await provePassword(name, newPassword, old);
  });

  it('a wrong current password fails with AUTH_REJECTED and changes nothing', async () => {
    const name = userName('self');
    await target.addUsers([{ name, password: 'Right-current-1' }]);
    const before = await target.readShadow();
    const err = await failure(
      connector.changePassword({
        target: endpoint,
        username: name,
        newPassword: 'Whatever-new-1',
        via: { method: 'self', currentPassword: 'Wrong-current-1' },
      }),
    );
    expectCode(err, 'AUTH_REJECTED');
    expectNoSecrets(err, ['Whatever-new-1', 'Wrong-current-1']);
    expect(await target.readShadow()).toEqual(before);
  });

  it('a password the target refuses (too similar to the old one) is COMMAND_FAILED, known not applied, secret-free', async () => {
    const name = userName('self');
    const old = 'Similar-pw-12345';
    await target.addUsers([{ name, password: old }]);
    const err = await failure(connector.changePassword({ target: endpoint, username: name, newPassword: old, via: { method: 'self', currentPassword: old } }));
    expectCode(err, 'COMMAND_FAILED');
    expect(err.outcomeUnknown).toBe(false);
    expect(err.details.exitCode).not.toBe(0);
    expectNoSecrets(err, [old]);
  });

  it('a command that dies without an exit status is a failure whose outcome is unknown', async () => {
    // A login shell that kills itself: the channel closes with a signal and no exit code.
    await target.run(['sh', '-c', 'printf "#!/bin/sh\\nkill -KILL \\$\\$\\n" > /etc/passman-killed-shell && chmod 755 /etc/passman-killed-shell']);
    const name = userName('killed');
    await target.addUsers([{ name, password: 'Killed-pw-1', shell: '/etc/passman-killed-shell' }]);
    const err = await failure(
      connector.changePassword({ target: endpoint, username: name, newPassword: 'Killed-new-pw-1', via: { method: 'self', currentPassword: 'Killed-pw-1' } }),
    );
    expectCode(err, 'COMMAND_FAILED');
    expect(err.details.exitCode).toBeNull();
    expect(err.outcomeUnknown).toBe(true);
  });

  it('refuses new passwords with newline, CR or NUL before any connection, for every method', async () => {
    const silent = await startSilentServer();
    try {
      const target = { host: silent.host, port: silent.port, hostKeyPins: endpoint.hostKeyPins };
      const login = { username: mgr.name, credential: { type: 'password' as const, password: mgr.password } };
      for (const bad of ['x\nroot:owned', 'x\rroot:owned', 'x\0y']) {
        for (const via of [
          { method: 'self' as const, currentPassword: 'ok' },
          { method: 'sudo' as const, login, sudoPassword: mgr.password },
          { method: 'root' as const, login },
        ]) {
          expectCode(await failure(connector.changePassword({ target, username: 'victim', newPassword: bad, via })), 'INVALID_SECRET');
        }
        expectCode(
          await failure(connector.changePassword({ target, username: 'victim', newPassword: 'fine', via: { method: 'self', currentPassword: bad } })),
          'INVALID_SECRET',
        );
        expectCode(
          await failure(connector.changePassword({ target, username: 'victim', newPassword: 'fine', via: { method: 'sudo', login, sudoPassword: bad } })),
          'INVALID_SECRET',
        );
      }
      for (const username of ['root:x', 'a b', 'a;reboot', '$(reboot)', 'a\nroot']) {
        expectCode(await failure(connector.changePassword({ target, username, newPassword: 'fine', via: { method: 'root', login } })), 'INVALID_USERNAME');
      }
      // Control: a valid request does reach the server. Connections are counted as they are
      // accepted, so one connection here means none of the refused requests opened one.
      const control = createSshConnector({ readyTimeoutMs: 300, onUnexpectedError: unexpected.hook });
      expectCode(await failure(control.changePassword({ target, username: 'victim', newPassword: 'fine', via: { method: 'root', login } })), 'TIMEOUT');
      expect(silent.connections).toBe(1);
    } finally {
      await silent.close();
    }
  });
});
