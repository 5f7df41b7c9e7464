/**
 * Secrets travel to targets as lines on stdin (`chpasswd` reads `user:password`
 * records, `passwd` reads `current\nnew\nnew\n`): a newline or CR inside a secret
 * would inject another record, and NUL truncates it in C. Such secrets are refused
 * everywhere, typed or imported. (SSH private keys are multi-line by nature and are
 * never piped that way; this check is for passwords and PINs.)
 */
import { VaultError } from './vault-error.js';

const UNSAFE = /[\n\r\0]/;

export function assertSafeSecret(secret: string | Uint8Array): void {
  if (typeof secret === 'string') {
    if (secret.length === 0) throw new VaultError('SECRET_EMPTY', 'the secret is empty');
    if (UNSAFE.test(secret)) throw unsafe();
    return;
  }
  if (!(secret instanceof Uint8Array)) throw new VaultError('SECRET_UNSAFE', 'the secret must be a string or bytes');
  if (secret.length === 0) throw new VaultError('SECRET_EMPTY', 'the secret is empty');
  if (secret.includes(0x0a) || secret.includes(0x0d) || secret.includes(0x00)) throw unsafe();
}

export function isSafeSecret(secret: string | Uint8Array): boolean {
  try {
    assertSafeSecret(secret);
    return true;
  } catch {
    return false;
  }
}

function unsafe(): VaultError {
  return new VaultError('SECRET_UNSAFE', 'the secret contains a newline, carriage return or NUL character, which cannot be set on a target safely');
}
