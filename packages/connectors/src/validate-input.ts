import { isTargetUsername, MAX_TARGET_USERNAME_LENGTH, passwordProblem } from '@passman/contracts/limits';
import { ConnectorError } from './connector-error.js';

/**
 * Usernames reach chpasswd's `user:password` records, `sudo -u`, `su` and error messages; the
 * one rule of the contracts (TARGET_USERNAME_PATTERN) keeps ':', whitespace, shell
 * metacharacters and newlines out, and is checked again here, before any connection is made.
 */
export function assertValidUsername(username: unknown, role = 'username'): asserts username is string {
  if (!isTargetUsername(username)) {
    throw new ConnectorError(
      'INVALID_USERNAME',
      `${role} must be a POSIX user name (a-z, digits, '_', '-'; starting with a-z or '_'; at most ${MAX_TARGET_USERNAME_LENGTH} characters)`,
    );
  }
}

/**
 * Secrets travel as lines on stdin (`passwd`, `sudo -S`, `chpasswd`): a newline or CR would end
 * the line early and let the rest become another record (a chpasswd line for another user),
 * NUL truncates it in C, and PAM refuses one longer than MAX_PASSWORD_BYTES. Such secrets are
 * refused everywhere, before any connection.
 */
export function assertSafeSecret(secret: unknown, role: string): asserts secret is string {
  if (typeof secret !== 'string') throw new ConnectorError('INVALID_SECRET', `${role} must be a string`);
  const problem = passwordProblem(secret);
  if (problem) throw new ConnectorError('INVALID_SECRET', `${role} ${problem}`);
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
