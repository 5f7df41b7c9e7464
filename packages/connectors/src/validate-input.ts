import { ConnectorError } from './connector-error.js';

/** POSIX portable user names (letters, digits, '.', '_', '-'; no leading '-' or digit), ≤ 32 chars. */
const USERNAME = /^[A-Za-z_][A-Za-z0-9._-]{0,31}$/;
const MAX_SECRET_BYTES = 1024;

/**
 * Usernames reach chpasswd's `user:password` records and error messages; anything outside the
 * portable set (':', whitespace, shell metacharacters, newlines) is refused before any
 * connection is made.
 */
export function assertValidUsername(username: unknown, role = 'username'): asserts username is string {
  if (typeof username !== 'string' || !USERNAME.test(username)) {
    throw new ConnectorError(
      'INVALID_USERNAME',
      `${role} must be a POSIX portable user name (letters, digits, '.', '_', '-'; starting with a letter or '_'; at most 32 characters)`,
    );
  }
}

/**
 * Secrets travel as lines on stdin (`passwd`, `sudo -S`, `chpasswd`): a newline or CR would end
 * the line early and let the rest become another record (a chpasswd line for another user),
 * NUL truncates it in C. Such secrets are refused everywhere, before any connection.
 */
export function assertSafeSecret(secret: unknown, role: string): asserts secret is string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new ConnectorError('INVALID_SECRET', `${role} must be a non-empty string`);
  }
  if (/[\n\r\0]/.test(secret)) {
    throw new ConnectorError('INVALID_SECRET', `${role} must not contain a newline, carriage return or NUL character`);
  }
  if (Buffer.byteLength(secret, 'utf8') > MAX_SECRET_BYTES) {
    throw new ConnectorError('INVALID_SECRET', `${role} must be at most ${MAX_SECRET_BYTES} bytes`);
  }
}

export function assertValidEndpoint(target: { host?: unknown; port?: unknown }): void {
  if (typeof target.host !== 'string' || target.host.length === 0 || /[\s\0]/.test(target.host)) {
    throw new ConnectorError('INVALID_REQUEST', 'target host must be a host name or address');
  }
  const port = target.port ?? 22;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConnectorError('INVALID_REQUEST', 'target port must be an integer from 1 to 65535');
  }
}
