import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_PASSWORD_BYTES, MAX_TARGET_USERNAME_LENGTH, utf8Length } from '@passman/contracts/limits';
import { collectUnexpectedErrors, opensshLogin, startSshTarget, type SshTarget } from '@passman/testkit';
import { ConnectorError } from './connector-error.js';
import { createSshConnector } from './ssh-connector.js';
import type { PasswordChangeMethod, TargetEndpoint } from './target-connector.js';

// The contracts' limits hold on a real OpenSSH 9.2 target with PAM, for every way a password is
// changed: the longest password is set and logs in (OpenSSH's client confirms it), one byte more
// is refused by the connector before it connects; so is a user name over the limit or with `$`.

const unexpected = collectUnexpectedErrors();
const connector = createSshConnector({ onUnexpectedError: unexpected.hook, authBackoffBaseMs: 1 });

/** Exactly `bytes` bytes of UTF-8, mostly 3-byte characters: the limit counts bytes, as PAM does. */
function passwordOfBytes(bytes: number, seed: string): string {
  const head = `${seed} ü:`;
  const text = head + '€'.repeat(Math.floor((bytes - utf8Length(head)) / 3));
  return text + 'x'.repeat(bytes - utf8Length(text));
}

let seq = 0;
const userName = (prefix: string) => `${prefix}${++seq}`;

describe('ssh connector: input limits on a real sshd', () => {
  let target: SshTarget;
  let endpoint: TargetEndpoint;
  const mgr = { name: 'lmgr', password: 'Mgr-sudo-pw-1' };
  const root = { name: 'root', password: 'Root-pw-for-limits-1' };

  beforeAll(async () => {
    target = await startSshTarget({ permitRootLogin: 'yes', users: [{ ...mgr, sudoChpasswd: true }, root] });
    endpoint = { host: target.host, port: target.port, hostKeyPins: target.fingerprints };
  });
  afterAll(async () => {
    await target?.stop();
  });
  afterEach(() => unexpected.assertNone());

  const methods: [string, (old: string) => PasswordChangeMethod][] = [
    ['its own passwd', (old) => ({ method: 'self', currentPassword: old })],
    [
      'sudo chpasswd',
      () => ({ method: 'sudo', login: { username: mgr.name, credential: { type: 'password', password: mgr.password } }, sudoPassword: mgr.password }),
    ],
    ['chpasswd as root', () => ({ method: 'root', login: { username: root.name, credential: { type: 'password', password: root.password } } })],
  ];

  it.each(methods)(`sets a password of ${MAX_PASSWORD_BYTES} bytes with %s; OpenSSH logs in with it`, async (_how, via) => {
    const name = userName('max');
    const old = `Old pw of ${name}`;
    await target.addUsers([{ name, password: old }]);
    const longest = passwordOfBytes(MAX_PASSWORD_BYTES, name);
    expect(utf8Length(longest)).toBe(MAX_PASSWORD_BYTES);
    await connector.changePassword({ target: endpoint, username: name, newPassword: longest, via: via(old) });
    expect((await opensshLogin({ target, user: name, credential: { password: longest }, command: 'id -un' })).stdout).toBe(`${name}\n`);
    await connector.verify({ target: endpoint, login: { username: name, credential: { type: 'password', password: longest } } });
  });

  it.each(methods)(`refuses a password of ${MAX_PASSWORD_BYTES + 1} bytes for %s before connecting`, async (_how, via) => {
    const name = userName('over');
    const old = `Old pw of ${name}`;
    await target.addUsers([{ name, password: old }]);
    const before = (await target.readShadow()).get(name);
    const mark = target.log.mark();
    const tooLong = passwordOfBytes(MAX_PASSWORD_BYTES + 1, name);
    const error = await connector.changePassword({ target: endpoint, username: name, newPassword: tooLong, via: via(old) }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('INVALID_SECRET');
    expect((error as ConnectorError).message).not.toContain(tooLong);
    expect(target.log.since(mark)).not.toContain('Connection from');
    expect((await target.readShadow()).get(name)).toBe(before);
  });

  it(`a ${MAX_TARGET_USERNAME_LENGTH}-character user changes its password; longer names and a trailing $ are refused before connecting`, async () => {
    const name = `${userName('long')}${'x'.repeat(MAX_TARGET_USERNAME_LENGTH)}`.slice(0, MAX_TARGET_USERNAME_LENGTH);
    await target.addUsers([{ name, password: 'Old-long-pw-1' }]);
    await connector.changePassword({
      target: endpoint,
      username: name,
      newPassword: 'New-long-pw-2',
      via: { method: 'self', currentPassword: 'Old-long-pw-1' },
    });
    expect((await opensshLogin({ target, user: name, credential: { password: 'New-long-pw-2' } })).code).toBe(0);

    expect(target.log.since(0)).toContain('Connection from'); // so its absence below means something
    const mark = target.log.mark();
    for (const username of [`${name}x`, 'machine$', 'Upper', 'first.last']) {
      const error = await connector.verify({ target: endpoint, login: { username, credential: { type: 'password', password: 'whatever-1' } } }).then(
        () => null,
        (err: unknown) => err,
      );
      expect([username, (error as ConnectorError).code]).toEqual([username, 'INVALID_USERNAME']);
    }
    expect(target.log.since(mark)).not.toContain('Connection from');
  });
});
