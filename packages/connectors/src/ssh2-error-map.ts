import type { Socket } from 'node:net';
import { ConnectorError } from './connector-error.js';
import { remoteLine } from './output-excerpt.js';

/** ssh2 marks its errors with `level`; socket errors keep Node's `code`; DISCONNECTs carry a numeric reason. */
export type Ssh2Error = Error & { level?: string; code?: string | number };

const NO_ROUTE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTDOWN']);
const DISCONNECT_NO_MORE_AUTH_METHODS = 14;

export interface MapContext {
  sock: Socket;
  /** Key type of the login key, to explain rejections of legacy types. */
  keyType?: string;
  ready: boolean;
  /** What the connection carried (login password, stdin secrets): never repeated from the host's words. */
  secrets?: readonly string[];
}

function authRejected(keyType: string | undefined): ConnectorError {
  if (keyType === 'ssh-dss') {
    return new ConnectorError(
      'AUTH_REJECTED',
      'the target refused the ssh-dss (DSA) key: OpenSSH 7.0+ disables DSA unless the server sets ' +
        "'PubkeyAcceptedAlgorithms +ssh-dss' (OpenSSH 10.0 removed it), or the key is not in the account's authorized_keys",
      { details: { keyType, legacyKeyType: true } },
    );
  }
  return new ConnectorError('AUTH_REJECTED', 'the target rejected the credential', keyType ? { details: { keyType } } : {});
}

/**
 * Maps an ssh2 or socket error to a ConnectorError by its level and code — never by message.
 * `sock.bytesRead === 0` tells "the peer never spoke" (refused, dropped by MaxStartups, a
 * silent server) from failures after the SSH greeting.
 */
export function mapSsh2Error(err: Ssh2Error, ctx: MapContext): ConnectorError {
  const silent = ctx.sock.bytesRead === 0;
  const cause = err;
  switch (err.level) {
    case 'client-socket':
    case 'client-dns': {
      const code = typeof err.code === 'string' ? err.code : 'unknown';
      if (silent || NO_ROUTE.has(code)) {
        return new ConnectorError('UNREACHABLE', `cannot connect to the target (${code})`, { details: { socketError: code }, cause });
      }
      return new ConnectorError('PROTOCOL_ERROR', `the connection to the target broke (${code})`, { details: { socketError: code }, cause });
    }
    case 'client-timeout':
      return new ConnectorError(
        'TIMEOUT',
        silent
          ? 'the target accepted the TCP connection but never sent an SSH greeting'
          : ctx.ready
            ? 'the target stopped answering keepalives'
            : 'the SSH handshake and login did not finish within readyTimeout',
        { cause },
      );
    case 'client-authentication':
      return authRejected(ctx.keyType);
    default:
      break;
  }
  if (silent) {
    return new ConnectorError('UNREACHABLE', 'the target closed the connection before the SSH greeting (MaxStartups, tcp wrappers or a firewall)', { cause });
  }
  if (typeof err.code === 'number') {
    if (err.code === DISCONNECT_NO_MORE_AUTH_METHODS && !ctx.ready) return authRejected(ctx.keyType);
    // The host chose these words (it may repeat the password it was just sent): kept storable
    // and short, the secrets blanked, and not kept as the cause, whose message is the raw text.
    return new ConnectorError('PROTOCOL_ERROR', `the target disconnected: ${remoteLine(err.message, ctx.secrets)}`, {
      details: { disconnectReason: err.code },
    });
  }
  return new ConnectorError('PROTOCOL_ERROR', `SSH protocol failure: ${remoteLine(err.message, ctx.secrets)}`);
}

export function closedBeforeReady(sock: Socket): ConnectorError {
  return sock.bytesRead === 0
    ? new ConnectorError('UNREACHABLE', 'the target closed the connection before the SSH greeting (MaxStartups, tcp wrappers or a firewall)')
    : new ConnectorError('PROTOCOL_ERROR', 'the target closed the connection before the login completed');
}
