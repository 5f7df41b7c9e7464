import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { collectUnexpectedErrors, generateTestKeyPair, opensshLogin, SSH_KEY_TYPES, startSshTarget, type SshTarget, type TestKeyPair } from '@passman/testkit';
import { ConnectorError } from './connector-error.js';
import { createSshConnector } from './ssh-connector.js';
import type { Login, TargetEndpoint } from './target-connector.js';

const unexpected = collectUnexpectedErrors();
const connector = createSshConnector({ onUnexpectedError: unexpected.hook });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectorError);
    return err as ConnectorError;
  }
  throw new Error('expected the operation to fail');
}

let seq = 0;
const userName = (prefix: string): string => `${prefix}${++seq}`;

describe('ssh connector: authorized_keys on a real sshd', () => {
  let target: SshTarget;
  let endpoint: TargetEndpoint;
  const keys = new Map<string, TestKeyPair>();
  let spare: TestKeyPair;

  beforeAll(async () => {
    const [generated, extra, started] = await Promise.all([
      Promise.all(SSH_KEY_TYPES.map((type) => generateTestKeyPair(type, `passman-${type}`))),
      generateTestKeyPair('ssh-ed25519', 'someone-else'),
      startSshTarget({ pubkeyAcceptedAlgorithms: '+ssh-dss,ssh-rsa' }),
    ]);
    for (const key of generated) keys.set(key.type, key);
    spare = extra;
    target = started;
    endpoint = { host: target.host, port: target.port, hostKeyPins: target.fingerprints };
  });

  afterAll(async () => {
    await target?.stop();
  });

  afterEach(() => unexpected.assertNone());

  const passwordLogin = (username: string, password: string): Login => ({ username, credential: { type: 'password', password } });
  const keyLogin = (username: string, key: TestKeyPair): Login => ({ username, credential: { type: 'key', privateKey: key.privateKey } });
  const readKeys = async (user: string): Promise<string> => (await target.run(['cat', `/home/${user}/.ssh/authorized_keys`])).stdout;
  const modes = async (user: string): Promise<string> =>
    (await target.run(['stat', '-c', '%U %a', `/home/${user}/.ssh`, `/home/${user}/.ssh/authorized_keys`])).stdout;

  it.each(SSH_KEY_TYPES)('installs a %s key (creating ~/.ssh 700 and the file 600), then OpenSSH logs in with it', async (type) => {
    const name = userName('inst');
    const key = keys.get(type)!;
    await target.addUsers([{ name, password: `Pw-${name}-1` }]);
    const result = await connector.installKey({ target: endpoint, login: passwordLogin(name, `Pw-${name}-1`), publicKey: key.publicKey });
    expect(result).toEqual({ changed: true });
    expect(await modes(name)).toBe(`${name} 700\n${name} 600\n`);
    expect(await readKeys(name)).toBe(`${key.publicKey}\n`);
    const proof = await opensshLogin({ target, user: name, credential: { privateKey: key.privateKey }, command: 'id -un' });
    expect(proof).toMatchObject({ code: 0, stdout: `${name}\n` });
    await connector.verify({ target: endpoint, login: keyLogin(name, key) });
  });

  it('is idempotent and keeps other lines, their options and comments byte for byte', async () => {
    const name = userName('keep');
    const key = keys.get('ssh-ed25519')!;
    const optioned = `command="echo hi; exit",no-pty,from="10.0.0.0/8" ${spare.publicKey}`;
    await target.addUsers([
      { name, password: 'Keep-pw-1', authorizedKeys: ['# managed by hand', optioned, '', 'restrict ' + keys.get('ecdsa-sha2-nistp256')!.publicKey] },
    ]);
    // A file without a final newline, as editors sometimes leave it.
    await target.runAs(name, 'printf %s "$(cat ~/.ssh/authorized_keys)" > ~/.ssh/ak && mv ~/.ssh/ak ~/.ssh/authorized_keys');
    const before = await readKeys(name);
    expect(before.endsWith('\n')).toBe(false);

    const login = passwordLogin(name, 'Keep-pw-1');
    expect(await connector.installKey({ target: endpoint, login, publicKey: key.publicKey })).toEqual({ changed: true });
    const once = await readKeys(name);
    expect(once).toBe(`${before}\n${key.publicKey}\n`);
    expect(await connector.installKey({ target: endpoint, login, publicKey: key.publicKey })).toEqual({ changed: false });
    // The same key with another comment is the same key.
    expect(await connector.installKey({ target: endpoint, login, publicKey: key.publicKey.replace(/ [^ ]+$/, ' other-comment') })).toEqual({ changed: false });
    expect(await readKeys(name)).toBe(once);
    expect(await modes(name)).toBe(`${name} 700\n${name} 600\n`);

    // Removing our key restores the other lines exactly; removing again changes nothing.
    expect(await connector.removeKey({ target: endpoint, login: keyLogin(name, key), publicKey: key.publicKey })).toEqual({ changed: true });
    expect(await readKeys(name)).toBe(`${before}\n`);
    expect(await connector.removeKey({ target: endpoint, login, publicKey: key.publicKey })).toEqual({ changed: false });
    // A key that sits behind options is found and removed too, the others stay.
    expect(await connector.removeKey({ target: endpoint, login, publicKey: spare.publicKey })).toEqual({ changed: true });
    expect(await readKeys(name)).toBe(`# managed by hand\n\nrestrict ${keys.get('ecdsa-sha2-nistp256')!.publicKey}\n`);
  });

  it('rotates a key: install the new one logged in with the old, remove the old, OpenSSH refuses the old', async () => {
    const name = userName('rot');
    const oldKey = keys.get('ssh-rsa')!;
    const newKey = keys.get('ssh-ed25519')!;
    await target.addUsers([{ name, authorizedKeys: [oldKey.publicKey] }]);
    await connector.installKey({ target: endpoint, login: keyLogin(name, oldKey), publicKey: newKey.publicKey });
    await connector.verify({ target: endpoint, login: keyLogin(name, newKey) });
    await connector.removeKey({ target: endpoint, login: keyLogin(name, newKey), publicKey: oldKey.publicKey });
    expect((await opensshLogin({ target, user: name, credential: { privateKey: newKey.privateKey } })).code).toBe(0);
    expect((await opensshLogin({ target, user: name, credential: { privateKey: oldKey.privateKey } })).code).not.toBe(0);
    expect(await readKeys(name)).toBe(`${newKey.publicKey}\n`);
  });

  it('leaves no temp files behind and replaces the file atomically (new inode)', async () => {
    const name = userName('atom');
    await target.addUsers([{ name, password: 'Atom-pw-1', authorizedKeys: [spare.publicKey] }]);
    const inode = async (): Promise<string> => (await target.run(['stat', '-c', '%i', `/home/${name}/.ssh/authorized_keys`])).stdout;
    const before = await inode();
    await connector.installKey({ target: endpoint, login: passwordLogin(name, 'Atom-pw-1'), publicKey: keys.get('ssh-dss')!.publicKey });
    expect(await inode()).not.toBe(before);
    expect((await target.run(['ls', '-A', `/home/${name}/.ssh`])).stdout).toBe('authorized_keys\n');
  });

  it('fails with SSH_DIR_OWNERSHIP, naming the fix, when ~/.ssh belongs to another user', async () => {
    const name = userName('own');
    await target.addUsers([{ name, password: 'Own-pw-1', authorizedKeys: [], sshDirOwner: 'root' }]);
    const err = await failure(connector.installKey({ target: endpoint, login: passwordLogin(name, 'Own-pw-1'), publicKey: spare.publicKey }));
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'SSH_DIR_OWNERSHIP', retryable: false });
    expect(err.message).toContain(`chown -R ${name}: ~${name}/.ssh`);
    expect(err.details).toMatchObject({ owner: 'root', username: name });
    expect((await target.run(['stat', '-c', '%U', `/home/${name}/.ssh`])).stdout).toBe('root\n');
  });

  it('fails with SSH_DIR_OWNERSHIP when authorized_keys itself belongs to another user', async () => {
    const name = userName('own');
    await target.addUsers([{ name, password: 'Own-pw-2', authorizedKeys: [spare.publicKey] }]);
    await target.run(['chown', 'root:root', `/home/${name}/.ssh/authorized_keys`]);
    const err = await failure(connector.removeKey({ target: endpoint, login: passwordLogin(name, 'Own-pw-2'), publicKey: spare.publicKey }));
    expect(err.code).toBe('SSH_DIR_OWNERSHIP');
  });

  it('refuses malformed or unsupported public keys before connecting', async () => {
    const login = passwordLogin('nobody', 'x');
    for (const publicKey of ['', 'ssh-ed25519', 'ssh-ed25519 !!!notbase64', `${spare.publicKey}\nssh-ed25519 AAAA injected`]) {
      const err = await failure(connector.installKey({ target: endpoint, login, publicKey }));
      expect(err.code).toBe('INVALID_REQUEST');
    }
  });

  it('drops a comment with shell metacharacters instead of writing it', async () => {
    const name = userName('cmt');
    await target.addUsers([{ name, password: 'Cmt-pw-1' }]);
    const [type, blob] = spare.publicKey.split(' ');
    await connector.installKey({ target: endpoint, login: passwordLogin(name, 'Cmt-pw-1'), publicKey: `${type} ${blob} $(reboot)'` });
    expect(await readKeys(name)).toBe(`${type} ${blob}\n`);
  });
});

describe('ssh connector: the managing account installs keys as the user (the account has no working credential)', () => {
  let target: SshTarget;
  let endpoint: TargetEndpoint;
  let key: TestKeyPair;
  const mgr = { name: 'kmgr', password: 'Kmgr-sudo-pw-1' };
  const nopasswdMgr = { name: 'kmgr_nopw', password: 'Kmgr-nopw-pw-1' };
  const chpasswdOnly = { name: 'kmgr_chpw', password: 'Kmgr-chpw-pw-1' };
  const root = { name: 'root', password: 'Root-pw-for-key-tests-1' };

  beforeAll(async () => {
    [key, target] = await Promise.all([
      generateTestKeyPair('ssh-ed25519', 'installed-by-manager'),
      startSshTarget({
        permitRootLogin: 'yes',
        users: [{ ...mgr, sudoAsUsers: true }, { ...nopasswdMgr, sudoAsUsers: 'nopasswd' }, { ...chpasswdOnly, sudoChpasswd: true }, root],
      }),
    ]);
    endpoint = { host: target.host, port: target.port, hostKeyPins: target.fingerprints };
  });

  afterAll(async () => {
    await target?.stop();
  });

  afterEach(() => unexpected.assertNone());

  const login = (user: { name: string; password: string }): Login => ({ username: user.name, credential: { type: 'password', password: user.password } });
  const files = async (user: string): Promise<string> =>
    (await target.run(['stat', '-c', '%U %a', `/home/${user}/.ssh`, `/home/${user}/.ssh/authorized_keys`])).stdout;

  it.each([
    ['sudo -u, with a sudo password', () => ({ method: 'sudo' as const, login: login(mgr), sudoPassword: mgr.password })],
    ['sudo -u, NOPASSWD', () => ({ method: 'sudo' as const, login: login(nopasswdMgr) })],
    ['su, as root', () => ({ method: 'root' as const, login: login(root) })],
  ])('%s: the key lands in the user’s own ~/.ssh (owned by the user, 700/600) and OpenSSH logs in with it; removing works the same way', async (_how, via) => {
    const name = userName('mk');
    await target.addUsers([{ name, password: 'Forgotten-pw-1' }]);
    expect(await connector.installKey({ target: endpoint, username: name, publicKey: key.publicKey, via: via() })).toEqual({ changed: true });
    expect(await files(name)).toBe(`${name} 700\n${name} 600\n`);
    const proof = await opensshLogin({ target, user: name, credential: { privateKey: key.privateKey }, command: 'id -un' });
    expect(proof).toMatchObject({ code: 0, stdout: `${name}\n` });
    expect(await connector.installKey({ target: endpoint, username: name, publicKey: key.publicKey, via: via() })).toEqual({ changed: false });
    expect(await connector.removeKey({ target: endpoint, username: name, publicKey: key.publicKey, via: via() })).toEqual({ changed: true });
    expect((await opensshLogin({ target, user: name, credential: { privateKey: key.privateKey } })).code).not.toBe(0);
  });

  it('SUDO_REJECTED, with nothing sent, when sudoers does not allow it or the sudo password is wrong; the user keeps no key', async () => {
    const name = userName('mk');
    await target.addUsers([{ name, password: 'Forgotten-pw-2' }]);
    let sent = 0;
    const attempts = [
      { method: 'sudo' as const, login: login(chpasswdOnly), sudoPassword: chpasswdOnly.password },
      { method: 'sudo' as const, login: login(mgr), sudoPassword: 'Not-the-sudo-pw-1' },
    ];
    for (const via of attempts) {
      const err = await failure(connector.installKey({ target: endpoint, username: name, publicKey: key.publicKey, via }, { onChangeSent: () => (sent += 1) }));
      expect({ code: err.code, outcomeUnknown: err.outcomeUnknown }).toEqual({ code: 'SUDO_REJECTED', outcomeUnknown: false });
      expect(JSON.stringify(err)).not.toContain(via.sudoPassword);
    }
    expect((await failure(connector.installKey({ target: endpoint, username: name, publicKey: key.publicKey, via: attempts[0]! }))).message).toContain(
      `run /bin/sh -s as ${name}`,
    );
    expect(sent).toBe(0);
    expect((await target.run(['test', '-e', `/home/${name}/.ssh/authorized_keys`])).code).not.toBe(0);
  });

  it('refuses a user name that is not a plain POSIX name before connecting', async () => {
    for (const username of ['root;id', 'a b', "x'y", '-u']) {
      const err = await failure(connector.installKey({ target: endpoint, username, publicKey: key.publicKey, via: { method: 'root', login: login(root) } }));
      expect(err.code).toBe('INVALID_USERNAME');
    }
  });
});
