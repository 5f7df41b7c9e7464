import { ConnectorError } from './connector-error.js';
import { normalizePins } from './host-key.js';
import { scanHostKey } from './host-key-scan.js';
import { changeOwnPassword, changePasswordAsRoot, changePasswordWithSudo } from './password-change.js';
import { parsePrivateKey } from './ssh-keys.js';
import { openSession, type SessionAuth, type SshSession } from './ssh-session.js';
import { createTargetLimiter, type TargetLimiter } from './target-limiter.js';
import { runAuthorizedKeysScript } from './authorized-keys-op.js';
import type { ConnectorCapability, Login, OperationOptions, TargetConnector, TargetEndpoint } from './target-connector.js';
import { assertSafeSecret, assertValidEndpoint, assertValidUsername } from './validate-input.js';

export interface SshConnectorOptions {
  /** Handshake + login must finish within this (ssh2 readyTimeout). Default 10 s. */
  readyTimeoutMs?: number;
  /** Whole operation (after a connection slot is free): login, command, logout. Default 30 s. */
  operationDeadlineMs?: number;
  /** ssh2 keepalive is off by default, and a silent peer then hangs forever. Default 5 s × 3. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Well under sshd's MaxStartups (10 unauthenticated connections). Default 4. */
  maxConnectionsPerTarget?: number;
  /** Pause before the next login to a target after a rejected one; doubles up to the max. Default 1 s … 60 s. */
  authBackoffBaseMs?: number;
  authBackoffMaxMs?: number;
  /** Called with ssh2 'error' events no step was waiting for (tests fail on them). */
  onUnexpectedError?: (err: Error) => void;
  /** Shared limiter, e.g. one per process when several connectors exist. */
  limiter?: TargetLimiter;
}

const CAPABILITIES: ReadonlySet<ConnectorCapability> = new Set(['verify', 'changePassword', 'installKey', 'removeKey', 'scanHostKey']);

function toSessionAuth(login: Login): SessionAuth {
  const credential = login.credential;
  if (credential?.type === 'password') {
    assertSafeSecret(credential.password, 'password');
    return { type: 'password', password: credential.password };
  }
  if (credential?.type === 'key') {
    if (typeof credential.privateKey !== 'string') throw new ConnectorError('INVALID_SECRET', 'privateKey must be a string');
    if (credential.passphrase !== undefined) assertSafeSecret(credential.passphrase, 'passphrase');
    return { type: 'key', key: parsePrivateKey(credential.privateKey, credential.passphrase) };
  }
  throw new ConnectorError('INVALID_REQUEST', "credential.type must be 'password' or 'key'");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The ssh2 implementation of TargetConnector (target-connector.ts). Each operation: validate every
 * input (nothing invalid gets near a socket) → wait for a connection slot on the target →
 * honour the back-off after rejected logins → connect (noDelay), check the pinned host key,
 * log in → run the command with secrets on stdin only → log out. One deadline covers it all.
 */
export function createSshConnector(options: SshConnectorOptions = {}): TargetConnector {
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const deadlineDefault = options.operationDeadlineMs ?? 30_000;
  const keepaliveIntervalMs = options.keepaliveIntervalMs ?? 5_000;
  const keepaliveCountMax = options.keepaliveCountMax ?? 3;
  const onUnexpectedError = options.onUnexpectedError ?? (() => {});
  const limiter =
    options.limiter ??
    createTargetLimiter({
      maxConnectionsPerTarget: options.maxConnectionsPerTarget ?? 4,
      authBackoffBaseMs: options.authBackoffBaseMs ?? 1_000,
      authBackoffMaxMs: options.authBackoffMaxMs ?? 60_000,
    });

  /** Runs `body` under the target's connection cap and the operation deadline. */
  async function withDeadline<T>(
    key: string,
    opts: OperationOptions | undefined,
    body: (signal: AbortSignal, startedAt: number, deadlineMs: number) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    const caller = opts?.signal;
    const onCallerAbort = (): void => controller.abort(new ConnectorError('CANCELLED', 'the operation was cancelled'));
    if (caller?.aborted) throw new ConnectorError('CANCELLED', 'the operation was cancelled');
    caller?.addEventListener('abort', onCallerAbort, { once: true });
    let release: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      release = await limiter.acquire(key, controller.signal);
      const deadlineMs = opts?.deadlineMs ?? deadlineDefault;
      timer = setTimeout(() => controller.abort(new ConnectorError('TIMEOUT', `the operation did not finish within ${deadlineMs} ms`)), deadlineMs);
      return await body(controller.signal, Date.now(), deadlineMs);
    } finally {
      clearTimeout(timer);
      release?.();
      caller?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function withLogin<T>(
    target: TargetEndpoint,
    login: Login,
    opts: OperationOptions | undefined,
    body: (session: SshSession) => Promise<T>,
    extra: { closeOnReady?: boolean; secrets?: readonly string[] } = {},
  ): Promise<T> {
    assertValidEndpoint(target);
    assertValidUsername(login?.username);
    const pins = normalizePins(target.hostKeyPins);
    const auth = toSessionAuth(login);
    const host = target.host;
    const port = target.port ?? 22;
    const key = `${host}:${port}`;
    return withDeadline(key, opts, async (signal, startedAt, deadlineMs) => {
      const wait = limiter.backoffRemaining(key);
      if (wait > 0) {
        if (Date.now() + wait > startedAt + deadlineMs) {
          throw new ConnectorError('THROTTLED', `backing off from ${key} for ${wait} ms after rejected logins`, { details: { retryAfterMs: wait } });
        }
        await sleep(wait, signal);
      }
      let session: SshSession;
      try {
        session = await openSession({
          host,
          port,
          pins,
          username: login.username,
          auth,
          secrets: extra.secrets ?? [],
          readyTimeoutMs,
          keepaliveIntervalMs,
          keepaliveCountMax,
          signal,
          onUnexpectedError,
          closeOnReady: extra.closeOnReady ?? false,
        });
      } catch (err) {
        if (err instanceof ConnectorError && err.code === 'AUTH_REJECTED') limiter.recordAuthRejected(key);
        throw err;
      }
      limiter.recordAuthAccepted(key);
      try {
        return await body(session);
      } finally {
        session.close();
      }
    });
  }

  return {
    kind: 'ssh',
    capabilities: CAPABILITIES,

    async scanHostKey(target, opts) {
      assertValidEndpoint(target);
      const port = target.port ?? 22;
      return withDeadline(`${target.host}:${port}`, opts, (signal) => scanHostKey({ host: target.host, port, readyTimeoutMs, signal }));
    },

    verify(request, opts) {
      return withLogin(request.target, request.login, opts, async (session) => ({ hostKey: session.hostKey }), { closeOnReady: true });
    },

    async changePassword(request, opts) {
      assertValidUsername(request.username);
      assertSafeSecret(request.newPassword, 'newPassword');
      const via = request.via;
      switch (via?.method) {
        case 'self': {
          assertSafeSecret(via.currentPassword, 'currentPassword');
          const login: Login = { username: request.username, credential: { type: 'password', password: via.currentPassword } };
          return withLogin(request.target, login, opts, (session) => changeOwnPassword(session, via.currentPassword, request.newPassword, opts?.onChangeSent), {
            secrets: [request.newPassword],
          });
        }
        case 'sudo':
          if (via.sudoPassword !== undefined) assertSafeSecret(via.sudoPassword, 'sudoPassword');
          return withLogin(
            request.target,
            via.login,
            opts,
            (session) => changePasswordWithSudo(session, request.username, request.newPassword, via.sudoPassword, opts?.onChangeSent),
            { secrets: [request.newPassword, ...(via.sudoPassword ? [via.sudoPassword] : [])] },
          );
        case 'root':
          return withLogin(
            request.target,
            via.login,
            opts,
            (session) => changePasswordAsRoot(session, request.username, request.newPassword, opts?.onChangeSent),
            {
              secrets: [request.newPassword],
            },
          );
        default:
          throw new ConnectorError('INVALID_REQUEST', "via.method must be 'self', 'sudo' or 'root'");
      }
    },

    installKey(request, opts) {
      return runAuthorizedKeysScript('add', request, (login, secrets, body) => withLogin(request.target, login, opts, body, { secrets }), opts?.onChangeSent);
    },

    removeKey(request, opts) {
      return runAuthorizedKeysScript(
        'remove',
        request,
        (login, secrets, body) => withLogin(request.target, login, opts, body, { secrets }),
        opts?.onChangeSent,
      );
    },
  };
}
