/**
 * Secrets travel to targets as lines on stdin (`chpasswd` reads `user:password`
 * records, `passwd` reads `current\nnew\nnew\n`): a newline or CR inside a secret
 * would inject another record, NUL truncates it in C, and PAM refuses one longer than
 * MAX_PASSWORD_BYTES. The contracts' one rule (passwordProblem) decides, typed or imported.
 * (SSH private keys are multi-line by nature and are never piped that way; this check is for
 * passwords and PINs.)
 */
import { passwordProblem } from '@passman/contracts/limits';
import { VaultError } from './vault-error.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function assertSafeSecret(secret: string | Uint8Array): void {
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) throw new VaultError('SECRET_UNSAFE', 'the secret must be a string or bytes');
  if (secret.length === 0) throw new VaultError('SECRET_EMPTY', 'the secret is empty');
  let text: string;
  try {
    text = typeof secret === 'string' ? secret : utf8.decode(secret);
  } catch {
    throw new VaultError('SECRET_UNSAFE', 'the secret is not UTF-8 text');
  }
  const problem = passwordProblem(text);
  if (problem) throw new VaultError('SECRET_UNSAFE', `the secret ${problem}, so it cannot be set on a target safely`);
}

export function isSafeSecret(secret: string | Uint8Array): boolean {
  try {
    assertSafeSecret(secret);
    return true;
  } catch {
    return false;
  }
}
