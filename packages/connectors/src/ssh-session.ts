import { connect as netConnect, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { ClientChannel, ParsedKey, PasswordAuthMethod, PublicKeyAuthMethod } from 'ssh2';
import { ConnectorError } from './connector-error.js';
import { pinnedHostVerifier, type HostKeyCheck } from './host-key.js';
import { remoteLine } from './output-excerpt.js';
import { closedBeforeReady, mapSsh2Error, type Ssh2Error } from './ssh2-error-map.js';
import type { HostKeyInfo } from './target-connector.js';

export type SessionAuth = { type: 'password'; password: string } | { type: 'key'; key: ParsedKey };

export interface SessionTimeouts {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export interface SessionParams extends SessionTimeouts {
  host: string;
  port: number;
  pins: readonly string[];
  username: string;
  auth: SessionAuth;
  /**
   * What the operation writes besides the login (current and new passwords, a sudo password).
   * With the login password they are blanked from anything the host says that PassMan keeps.
   */
  secrets: readonly string[];
  /** Aborted with a ConnectorError (TIMEOUT, CANCELLED) as reason: tears the connection down. */
  signal: AbortSignal;
  /** An ssh2 'error' that no pending step was waiting for (ssh2's own tests fail on these). */
  onUnexpectedError(err: Error): void;
  /**
   * Log out the moment the login succeeds (a verify needs nothing more). Closing inside
   * ssh2's 'ready' event also skips the host-key "prove" round trip ssh2 starts when OpenSSH
   * announces its keys (hostkeys-00@openssh.com) right after authentication.
   */
  closeOnReady?: boolean;
}

export interface ExecResult {
  /** null when the channel closed without an exit status (killed session, lost connection). */
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

/** Lets an operation feed stdin while looking at what the command printed so far. */
export interface ExecIo {
  readonly stdout: string;
  readonly stderr: string;
  write(data: string): void;
  end(): void;
}

export interface SshSession {
  readonly hostKey: HostKeyInfo;
  /** Every secret this connection carries: the login password and `SessionParams.secrets`. */
  readonly secrets: readonly string[];
  /**
   * Runs `command`; `drive` is called once at start and after every output chunk, and feeds
   * stdin. Resolves when the channel closes.
   */
  exec(command: string, drive: (io: ExecIo) => void): Promise<ExecResult>;
  close(): void;
}

const MAX_OUTPUT = 64 * 1024;

type Failure = (err: ConnectorError) => void;

/**
 * Opens an authenticated SSH connection. The socket is ours (`net.connect` with noDelay: ssh2
 * leaves Nagle on, which makes each login several round-trip delays slower); the host key is
 * checked against the pins before ssh2 sends any credential; only the given method is tried
 * (no 'none' probe, no keyboard-interactive, no agent).
 */
export function openSession(params: SessionParams): Promise<SshSession> {
  const check: HostKeyCheck = {};
  const client = new ssh2.Client();
  const sock: Socket = netConnect({ host: params.host, port: params.port, noDelay: true });
  const keyType = params.auth.type === 'key' ? params.auth.key.type : undefined;
  const secrets = [...(params.auth.type === 'password' ? [params.auth.password] : []), ...params.secrets];
  let ready = false;
  let closed = false;
  // Whoever is waiting on the connection right now (the login, or a running command).
  let waiting: Failure | undefined;
  let pendingFailure: ConnectorError | undefined;

  const fail = (err: ConnectorError): void => {
    const target = waiting;
    waiting = undefined;
    if (target) target(err);
    else pendingFailure ??= err;
  };

  const destroy = (): void => {
    closed = true;
    params.signal.removeEventListener('abort', onAbort);
    client.destroy();
    sock.destroy();
  };

  function onAbort(): void {
    const reason = params.signal.reason instanceof ConnectorError ? params.signal.reason : new ConnectorError('CANCELLED', 'the operation was cancelled');
    fail(reason);
    destroy();
  }

  client.on('error', (raw: Ssh2Error) => {
    if (closed) return; // our own teardown: nothing is waiting any more
    // Its message may be words the host chose: passed on with the secrets blanked.
    if (!waiting && ready) params.onUnexpectedError(Object.assign(new Error(remoteLine(raw.message, secrets)), { level: raw.level, code: raw.code }));
    fail(mapSsh2Error(raw, { sock, keyType, ready, secrets }));
  });
  client.on('close', () => {
    const wasClosed = closed;
    closed = true;
    params.signal.removeEventListener('abort', onAbort);
    if (!wasClosed) fail(ready ? new ConnectorError('PROTOCOL_ERROR', 'the target closed the connection') : closedBeforeReady(sock));
  });

  const method: PasswordAuthMethod | PublicKeyAuthMethod =
    params.auth.type === 'password'
      ? { type: 'password', username: params.username, password: params.auth.password }
      : { type: 'publickey', username: params.username, key: params.auth.key };
  const authHandler = [method];

  const session: SshSession = {
    get hostKey(): HostKeyInfo {
      if (!check.presented) throw new Error('no host key seen');
      return check.presented;
    },
    secrets,
    exec: (command, drive) =>
      runExec(
        client,
        command,
        drive,
        (failure) => {
          if (pendingFailure) return failure(pendingFailure);
          waiting = failure;
        },
        () => {
          waiting = undefined;
        },
      ),
    close: destroyGracefully,
  };

  function destroyGracefully(): void {
    if (closed) return;
    closed = true;
    params.signal.removeEventListener('abort', onAbort);
    // end() says goodbye (SSH_MSG_DISCONNECT) so sshd logs a clean disconnect. If the peer
    // then never closes its side, the socket's idle timeout destroys it; a socket timeout
    // (unlike a separate timer) dies with the socket and keeps nothing alive.
    client.end();
    sock.setTimeout(1_000, () => sock.destroy());
  }

  return new Promise<SshSession>((resolve, reject) => {
    if (params.signal.aborted) {
      destroy();
      reject(params.signal.reason instanceof ConnectorError ? params.signal.reason : new ConnectorError('CANCELLED', 'the operation was cancelled'));
      return;
    }
    waiting = (err) => {
      destroy();
      reject(check.rejection ?? err);
    };
    params.signal.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => {
      ready = true;
      waiting = undefined;
      if (params.closeOnReady) destroyGracefully();
      resolve(session);
    });
    try {
      client.connect({
        sock,
        username: params.username,
        authHandler,
        hostVerifier: pinnedHostVerifier(params.pins, check),
        readyTimeout: params.readyTimeoutMs,
        keepaliveInterval: params.keepaliveIntervalMs,
        keepaliveCountMax: params.keepaliveCountMax,
      });
    } catch (err) {
      // ssh2 throws synchronously on config it cannot use (e.g. an unparseable key).
      fail(new ConnectorError('UNSUPPORTED_KEY_TYPE', 'ssh2 refused the login configuration', { cause: err }));
    }
  });
}

function runExec(
  client: InstanceType<typeof ssh2.Client>,
  command: string,
  drive: (io: ExecIo) => void,
  watch: (failure: Failure) => void,
  unwatch: () => void,
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      unwatch();
      fn();
    };
    watch((err) => settle(() => reject(err)));
    if (settled) return;
    const onChannel = (err: Error | undefined, channel: ClientChannel): void => {
      if (err) {
        settle(() => reject(new ConnectorError('COMMAND_FAILED', 'the target refused to start the command', { cause: err })));
        return;
      }
      let stdout = '';
      let stderr = '';
      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      const io: ExecIo = {
        get stdout() {
          return stdout;
        },
        get stderr() {
          return stderr;
        },
        write: (data) => {
          if (channel.writable) channel.write(data);
        },
        end: () => {
          if (channel.writable) channel.end();
        },
      };
      const step = (): void => {
        if (!settled) drive(io);
      };
      channel.setEncoding('utf8');
      channel.stderr.setEncoding('utf8');
      channel.on('data', (chunk: string) => {
        if (stdout.length < MAX_OUTPUT) stdout += chunk;
        step();
      });
      channel.stderr.on('data', (chunk: string) => {
        if (stderr.length < MAX_OUTPUT) stderr += chunk;
        step();
      });
      channel.on('exit', (code: number | null, signal?: string) => {
        exitCode = typeof code === 'number' ? code : null;
        exitSignal = signal ?? undefined;
      });
      channel.on('close', () => {
        settle(() => resolve({ code: exitCode, ...(exitSignal ? { signal: exitSignal } : {}), stdout, stderr }));
      });
      step();
    };
    try {
      client.exec(command, onChannel);
    } catch (err) {
      settle(() => reject(new ConnectorError('PROTOCOL_ERROR', 'the connection is gone', { cause: err })));
    }
  });
}
