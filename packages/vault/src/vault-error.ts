/**
 * The one error type of @passman/vault. Callers branch on `code` (stable, part of
 * the API) and never on `message`. Messages are for operators and must never
 * contain a secret, a key, a passphrase or any part of one.
 */
export type VaultErrorCode =
  // envelope encryption and the master key
  | 'SEALED'
  | 'DECRYPT_FAILED'
  | 'KEY_VERSION_UNKNOWN'
  | 'CONTEXT_INVALID'
  | 'MASTER_KEY_MISSING'
  | 'MASTER_KEY_INVALID'
  | 'MASTER_KEY_FILE_UNREADABLE'
  | 'KEY_CHECK_INVALID'
  // secrets typed by operators and generation policies
  | 'SECRET_EMPTY'
  | 'SECRET_UNSAFE'
  | 'POLICY_INVALID'
  | 'POLICY_UNSATISFIABLE'
  // SSH keys
  | 'KEY_SPEC_INVALID'
  | 'KEY_PARSE_FAILED'
  | 'KEY_NOT_PRIVATE'
  | 'KEY_TYPE_UNSUPPORTED'
  | 'KEY_ENCRYPTION_UNSUPPORTED'
  | 'KEY_PASSPHRASE_REQUIRED'
  | 'KEY_PASSPHRASE_WRONG';

export class VaultError extends Error {
  override readonly name = 'VaultError';
  readonly code: VaultErrorCode;
  /** Non-secret facts for logs and problem details (e.g. `{ keyVersion: 3 }`). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: VaultErrorCode, message: string, options?: { details?: Record<string, unknown>; cause?: unknown }) {
    // `cause` is kept for debugging, but only ever set to errors that carry no
    // secret (library parse errors); decryption failures never chain a cause.
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }
}

export function isVaultError(error: unknown, code?: VaultErrorCode): error is VaultError {
  return error instanceof VaultError && (code === undefined || error.code === code);
}
