import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  collectUnexpectedErrors,
  generateTestKeyPair,
  reserveClosedPort,
  SSH_KEY_TYPES,
  startSilentServer,
  startSshTargets,
  type SshTarget,
  type SshTargetGroup,
  type TestKeyPair,
} from '@passman/testkit';
import { ConnectorError, type ConnectorErrorCode } from './connector-error.js';
import { createSshConnector } from './ssh-connector.js';
import { createTargetLimiter, type TargetLimiter } from './target-limiter.js';
import type { TargetEndpoint } from './target-connector.js';

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

function expectCode(err: ConnectorError, code: ConnectorErrorCode, retryable: boolean): void {
  expect({ code: err.code, retryable: err.retryable }).toEqual({ code, retryable });
}

const endpoint = (target: SshTarget, pins = target.fingerprints): TargetEndpoint => ({ host: target.host, port: target.port, hostKeyPins: pins });

let seq = 0;
const userName = (prefix: string): string => `${prefix}${++seq}`;

describe('ssh connector: logins and host keys against real sshd', () => {
  let group: SshTargetGroup;
  /** Allows ssh-dss and SHA-1 ssh-rsa signatures, logs every userauth request (DEBUG1). */
  let legacy: SshTarget;
  /** OpenSSH 9.2 defaults: no ssh-dss, RSA only with rsa-sha2-256/512 signatures. */
  let modern: SshTarget;
  const keys = new Map<string, TestKeyPair>();

  beforeAll(async () => {
    const [generated, started] = await Promise.all([
      Promise.all(SSH_KEY_TYPES.map((type) => generateTestKeyPair(type))),
      startSshTargets({
        count: 2,
        perTarget: (i) => (i === 0 ? { pubkeyAcceptedAlgorithms: '+ssh-dss,ssh-rsa', logLevel: 'DEBUG1' } : {}),
      }),
    ]);
    for (const key of generated) keys.set(key.type, key);
    group = started;
    [legacy, modern] = group.targets as [SshTarget, SshTarget];
  });

  afterAll(async () => {
    await group?.stop();
  });

  afterEach(() => unexpected.assertNone());

  it('verifies a password and reports the host key it checked', async () => {
    const name = userName('pw');
    await modern.addUsers([{ name, password: `Pw ${name} ✓` }]);
    const result = await connector.verify({ target: endpoint(modern), login: { username: name, credential: { type: 'password', password: `Pw ${name} ✓` } } });
    expect(result.hostKey).toEqual({ algorithm: 'ssh-ed25519', publicKey: modern.hostKeys[0]!.publicKey, fingerprint: modern.fingerprints[0] });
  });

  it('rejects a wrong password with AUTH_REJECTED (not retryable)', async () => {
    const name = userName('pw');
    await modern.addUsers([{ name, password: 'the-right-one' }]);
    const err = await failure(
      connector.verify({ target: endpoint(modern), login: { username: name, credential: { type: 'password', password: 'the-wrong-one' } } }),
    );
    expectCode(err, 'AUTH_REJECTED', false);
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('the-wrong-one');
  });

  it.each(SSH_KEY_TYPES)('verifies a %s key on a target that allows it', async (type) => {
    const name = userName('key');
    const key = keys.get(type)!;
    await legacy.addUsers([{ name, authorizedKeys: [key.publicKey] }]);
    const mark = legacy.log.mark();
    await connector.verify({ target: endpoint(legacy), login: { username: name, credential: { type: 'key', privateKey: key.privateKey } } });
    const accepted = await legacy.log.waitFor(new RegExp(`Accepted publickey for ${name} `), { since: mark });
    expect(accepted).toContain(key.fingerprint);
  });

  it('signs with rsa-sha2 for ssh-rsa keys: accepted by a target that refuses SHA-1 signatures', async () => {
    const name = userName('rsa');
    const key = keys.get('ssh-rsa')!;
    await modern.addUsers([{ name, authorizedKeys: [key.publicKey] }]);
    await connector.verify({ target: endpoint(modern), login: { username: name, credential: { type: 'key', privateKey: key.privateKey } } });
    // And on the DEBUG1 target the algorithm actually used is visible.
    const name2 = userName('rsa');
    await legacy.addUsers([{ name: name2, authorizedKeys: [key.publicKey] }]);
    const mark = legacy.log.mark();
    await connector.verify({ target: endpoint(legacy), login: { username: name2, credential: { type: 'key', privateKey: key.privateKey } } });
    const request = await legacy.log.waitFor(new RegExp(`userauth_pubkey: .*test pkalg rsa-sha2-(256|512)|userauth_pubkey: .*pkalg rsa-sha2-(256|512)`), {
      since: mark,
    });
    expect(request).toMatch(/rsa-sha2-(256|512)/);
  });

  it('explains an ssh-dss key refused by a target that does not allow DSA', async () => {
    const name = userName('dss');
    const key = keys.get('ssh-dss')!;
    await modern.addUsers([{ name, authorizedKeys: [key.publicKey] }]);
    const err = await failure(
      connector.verify({ target: endpoint(modern), login: { username: name, credential: { type: 'key', privateKey: key.privateKey } } }),
    );
    expectCode(err, 'AUTH_REJECTED', false);
    expect(err.details).toMatchObject({ keyType: 'ssh-dss', legacyKeyType: true });
    expect(err.message).toContain('PubkeyAcceptedAlgorithms +ssh-dss');
  });

  it('scans the host key as OpenSSH prints it, without logging in', async () => {
    const mark = legacy.log.mark();
    const scanned = await connector.scanHostKey({ host: legacy.host, port: legacy.port });
    expect(scanned).toEqual({ algorithm: 'ssh-ed25519', publicKey: legacy.hostKeys[0]!.publicKey, fingerprint: legacy.fingerprints[0] });
    await legacy.log.waitFor(/Connection closed by .* \[preauth\]|Disconnected from .* \[preauth\]/, { since: mark });
    expect(legacy.log.since(mark)).not.toContain('userauth-request');
  });

  it('sends no credential to an unpinned host key (HOST_KEY_UNPINNED)', async () => {
    const name = userName('pin');
    await legacy.addUsers([{ name, password: 'Unpinned-pw-1' }]);
    const mark = legacy.log.mark();
    const err = await failure(
      connector.verify({ target: endpoint(legacy, []), login: { username: name, credential: { type: 'password', password: 'Unpinned-pw-1' } } }),
    );
    expectCode(err, 'HOST_KEY_UNPINNED', false);
    expect(err.details).toMatchObject({ fingerprint: legacy.fingerprints[0], algorithm: 'ssh-ed25519' });
    await legacy.log.waitFor(/\[preauth\]/, { since: mark });
    expect(legacy.log.since(mark)).not.toMatch(/userauth-request|Failed password|Accepted/);
  });

  it('sends no credential after the host key changed (HOST_KEY_MISMATCH), proven by the DEBUG1 log', async () => {
    const name = userName('pin');
    await legacy.addUsers([{ name, password: 'Changed-key-pw-1' }]);
    const login = { username: name, credential: { type: 'password' as const, password: 'Changed-key-pw-1' } };
    const pinned = endpoint(legacy);
    // Control: with the right key the log does show the login request.
    let mark = legacy.log.mark();
    await connector.verify({ target: pinned, login });
    await legacy.log.waitFor(new RegExp(`userauth-request for user ${name} service ssh-connection method password`), { since: mark });

    const [replaced] = await legacy.replaceHostKeys();
    mark = legacy.log.mark();
    const err = await failure(connector.verify({ target: pinned, login }));
    expectCode(err, 'HOST_KEY_MISMATCH', false);
    expect(err.details).toMatchObject({ fingerprint: replaced!.fingerprint });
    expect(err.message).toContain(replaced!.fingerprint);
    await legacy.log.waitFor(/\[preauth\]/, { since: mark });
    const afterChange = legacy.log.since(mark);
    expect(afterChange).toContain('SSH2_MSG_KEX'); // the connection did reach key exchange …
    expect(afterChange).not.toMatch(/userauth-request|Failed password|Accepted/); // … and no further
    // Pinning the new key (what an operator's approval does) makes it work again.
    await connector.verify({ target: endpoint(legacy, [replaced!.fingerprint]), login });
  });

  it('maps a closed port to UNREACHABLE (retryable)', async () => {
    const closed = await reserveClosedPort();
    try {
      const err = await failure(
        connector.verify({
          target: { host: closed.host, port: closed.port, hostKeyPins: modern.fingerprints },
          login: { username: 'nobody', credential: { type: 'password', password: 'x' } },
        }),
      );
      expectCode(err, 'UNREACHABLE', true);
      expect(err.details).toMatchObject({ socketError: 'ECONNREFUSED' });
    } finally {
      closed.release();
    }
  });

  it('maps a server that never speaks to TIMEOUT, by readyTimeout or by the operation deadline, whichever comes first', async () => {
    const silent = await startSilentServer();
    try {
      const target = { host: silent.host, port: silent.port, hostKeyPins: modern.fingerprints };
      const login = { username: 'nobody', credential: { type: 'password' as const, password: 'x' } };
      // Each timer is far shorter than the other one, so the message says which of them fired.
      const byReadyTimeout = createSshConnector({ readyTimeoutMs: 1_000, operationDeadlineMs: 20_000, onUnexpectedError: unexpected.hook });
      const byReady = await failure(byReadyTimeout.verify({ target, login }));
      expectCode(byReady, 'TIMEOUT', true);
      expect(byReady.message).toBe('the target accepted the TCP connection but never sent an SSH greeting');

      const byOperationDeadline = createSshConnector({ readyTimeoutMs: 20_000, operationDeadlineMs: 1_000, onUnexpectedError: unexpected.hook });
      const byDeadline = await failure(byOperationDeadline.verify({ target, login }));
      expectCode(byDeadline, 'TIMEOUT', true);
      expect(byDeadline.message).toBe('the operation did not finish within 1000 ms');
      expect(silent.connections).toBe(2);
    } finally {
      await silent.close();
    }
  });

  it('refuses bad secrets and usernames before opening any connection', async () => {
    const silent = await startSilentServer();
    try {
      const target = { host: silent.host, port: silent.port, hostKeyPins: modern.fingerprints };
      for (const password of ['a\nb', 'a\rb', 'a\0b', '']) {
        const err = await failure(connector.verify({ target, login: { username: 'alice', credential: { type: 'password', password } } }));
        expectCode(err, 'INVALID_SECRET', false);
        if (password) expect(err.message).not.toContain(password);
      }
      for (const username of ['a;b', 'a b', '$(id)', '`id`', 'a|b', 'a&b', "a'b", 'a"b', 'a:b', '-rf', 'a\nb', '', 'x'.repeat(33), '../etc']) {
        const err = await failure(connector.verify({ target, login: { username, credential: { type: 'password', password: 'fine' } } }));
        expectCode(err, 'INVALID_USERNAME', false);
      }
      // Control: a valid request does reach the server. Connections are counted as they are
      // accepted, so one connection here means none of the refused requests opened one.
      const control = createSshConnector({ readyTimeoutMs: 300, onUnexpectedError: unexpected.hook });
      expectCode(await failure(control.verify({ target, login: { username: 'alice', credential: { type: 'password', password: 'fine' } } })), 'TIMEOUT', true);
      expect(silent.connections).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('refuses a private key it cannot parse, before connecting', async () => {
    const err = await failure(
      connector.verify({
        target: endpoint(modern),
        login: {
          username: 'alice',
          credential: { type: 'key', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n-----END OPENSSH PRIVATE KEY-----\n' },
        },
      }),
    );
    expectCode(err, 'UNSUPPORTED_KEY_TYPE', false);
  });
});

describe('ssh connector: per-target limits', () => {
  let group: SshTargetGroup;
  let target: SshTarget;

  beforeAll(async () => {
    // OpenSSH's default, spelled out: past 10 unauthenticated connections sshd starts
    // dropping new ones (30 % at first, all of them at 100).
    group = await startSshTargets({ count: 1, maxStartups: '10:30:100' });
    target = group.targets[0]!;
  });

  afterAll(async () => {
    await group?.stop();
  });

  afterEach(() => unexpected.assertNone());

  it('caps concurrent connections per target so a burst of 40 checks stays under MaxStartups', async () => {
    // sshd counts a connection as unauthenticated until its listener notices the login, which
    // can lag under load: the default cap (4) leaves a wide margin below 10.
    const users = Array.from({ length: 40 }, () => ({ name: userName('cap'), password: 'Cap-pw-123' }));
    await target.addUsers(users);
    const capped = createSshConnector({ onUnexpectedError: unexpected.hook });
    const results = await Promise.allSettled(
      users.map((u) => capped.verify({ target: endpoint(target), login: { username: u.name, credential: { type: 'password', password: u.password } } })),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(target.log.since()).not.toContain('past MaxStartups');
  });

  it('backs off from a target after a rejected login, and fails fast (THROTTLED) when the wait exceeds the deadline', async () => {
    const name = userName('bo');
    await target.addUsers([{ name, password: 'Backoff-pw-1' }]);
    // The limiter's clock stands still, so the back-off it reports is exact.
    const events: string[] = [];
    const inner = createTargetLimiter({ maxConnectionsPerTarget: 4, authBackoffBaseMs: 800, authBackoffMaxMs: 10_000 }, { now: () => 1_000_000 });
    const limiter: TargetLimiter = {
      ...inner,
      recordAuthAccepted(key) {
        events.push('login accepted');
        inner.recordAuthAccepted(key);
      },
    };
    const careful = createSshConnector({ limiter, onUnexpectedError: unexpected.hook });
    const key = `${target.host}:${target.port}`;
    const good = { username: name, credential: { type: 'password' as const, password: 'Backoff-pw-1' } };
    const bad = { username: name, credential: { type: 'password' as const, password: 'Backoff-pw-2' } };
    expectCode(await failure(careful.verify({ target: endpoint(target), login: bad })), 'AUTH_REJECTED', false);
    expect(limiter.backoffRemaining(key)).toBe(800);

    const mark = target.log.mark();
    const throttled = await failure(careful.verify({ target: endpoint(target), login: good }, { deadlineMs: 200 }));
    expectCode(throttled, 'THROTTLED', true);
    expect(throttled.details.retryAfterMs).toBe(800);
    expect(events).toEqual([]);

    // With time enough, the next login waits out the back-off (a timer of its length fires
    // before the login), then succeeds and resets it.
    const realSetTimeout = globalThis.setTimeout;
    const timers = jest.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      if (ms !== 800) return realSetTimeout(callback, ms, ...args);
      events.push('back-off timer set');
      return realSetTimeout(() => {
        events.push('back-off timer fired');
        callback(...args);
      }, ms);
    }) as unknown as typeof setTimeout);
    try {
      await careful.verify({ target: endpoint(target), login: good });
    } finally {
      timers.mockRestore();
    }
    expect(events).toEqual(['back-off timer set', 'back-off timer fired', 'login accepted']);
    expect(limiter.backoffRemaining(key)).toBe(0);
    // The throttled attempt never reached the target: one accepted login since, the waited one.
    await target.log.waitFor(new RegExp(`Accepted password for ${name} `), { since: mark });
    expect(target.log.since(mark).match(new RegExp(`Accepted password for ${name} `, 'g'))).toHaveLength(1);
  });
});
