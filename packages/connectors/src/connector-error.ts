/**
 * Every failure of a target operation, with a stable code callers branch on (never the
 * message) and whether trying again later can help. Messages and details never hold a secret.
 */
export const CONNECTOR_ERROR_CODES = {
  /** TCP connection refused / no route / DNS failure. */
  UNREACHABLE: true,
  /** readyTimeout, keepalive, the per-operation deadline or the wait for a connection slot ran out. */
  TIMEOUT: true,
  /** The target refused the credential (or, for ssh-dss, maybe its key type; see the message). */
  AUTH_REJECTED: false,
  /** The managing account's sudo password was refused, or sudo wants one and none was given. */
  SUDO_REJECTED: false,
  /** The target offered a host key whose fingerprint is not pinned. No credential was sent. */
  HOST_KEY_MISMATCH: false,
  /** No fingerprint is pinned yet: scan and approve the host key first. No credential was sent. */
  HOST_KEY_UNPINNED: false,
  /** ~/.ssh (or authorized_keys) belongs to another user: sshd's StrictModes would ignore the keys. */
  SSH_DIR_OWNERSHIP: false,
  /** A remote command exited non-zero, by a signal, or without an exit status. */
  COMMAND_FAILED: false,
  /** A key PassMan cannot use (unparseable, encrypted without passphrase, unknown type). */
  UNSUPPORTED_KEY_TYPE: false,
  /** A secret that would be unsafe on stdin (newline, CR, NUL), empty or oversized. */
  INVALID_SECRET: false,
  /** A username outside the POSIX portable set. */
  INVALID_USERNAME: false,
  /** Bad arguments other than secrets and usernames (e.g. a malformed public key). */
  INVALID_REQUEST: false,
  /** Key exchange or protocol failure (no common algorithm, malformed packet, peer disconnect). */
  PROTOCOL_ERROR: true,
  /** Backing off from a target after rejected logins (OpenSSH 9.8+ penalises such sources). */
  THROTTLED: true,
  /** The caller aborted the operation (AbortSignal). */
  CANCELLED: true,
} as const satisfies Record<string, boolean>;

export type ConnectorErrorCode = keyof typeof CONNECTOR_ERROR_CODES;

export interface ConnectorErrorOptions {
  /** Public facts only (fingerprints, exit codes, key types) — never a secret. */
  details?: Record<string, unknown>;
  /**
   * True when a change may have reached the target before the failure (the secret was sent
   * and the connection died, or the command ended without an exit status): the caller must
   * treat the outcome as unknown and probe both the old and the new secret.
   */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: ConnectorErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;
  readonly outcomeUnknown: boolean;

  constructor(code: ConnectorErrorCode, message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = CONNECTOR_ERROR_CODES[code];
    this.details = options.details ?? {};
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }
}

export function isConnectorError(value: unknown, code?: ConnectorErrorCode): value is ConnectorError {
  return value instanceof ConnectorError && (code === undefined || value.code === code);
}
