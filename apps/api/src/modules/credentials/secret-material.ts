import { sshKeyTypesText, type CreateCredentialRequest, type Policy, type SshKeyType } from '@passman/contracts';
import {
  CREDENTIAL_SECRET_PURPOSE,
  generatePassword,
  generatePin,
  generateSshKey,
  importSshPrivateKey,
  isVaultError,
  isWeakSshKey,
  type StoredRecord,
  type Vault,
} from '@passman/vault';
import { AppError } from '../../lib/app-error.js';
import { secretCompliance, sshKeyCompliance } from './compliance.js';

/** A secret ready to be encrypted, with the public facts stored beside it. */
export interface SecretMaterial {
  secret: string;
  origin: 'TYPED' | 'GENERATED' | 'IMPORTED' | 'RESTORED';
  /** RESTORED: the version whose value this is. */
  restoredFrom?: number;
  sshKeyType: SshKeyType | null;
  publicKey: string | null;
  fingerprint: string | null;
  keyBits: number | null;
  weak: boolean;
  /** Whether it meets the policy; null when the policy says nothing about it. */
  compliant: boolean | null;
}

export type SecretRequest = Pick<CreateCredentialRequest, 'type' | 'sshKeyType' | 'sshKeyBits' | 'value' | 'generate' | 'privateKey' | 'passphrase'>;

const KEY_PROBLEMS: Record<string, string> = {
  KEY_PARSE_FAILED: 'is not a private key PassMan can read (OpenSSH, PEM PKCS#1 or PKCS#8)',
  KEY_NOT_PRIVATE: 'is a public key; give the private key',
  KEY_TYPE_UNSUPPORTED: `is of an unsupported type (${sshKeyTypesText('and')} are)`,
  KEY_ENCRYPTION_UNSUPPORTED: 'is encrypted with a cipher PassMan cannot open',
  KEY_PASSPHRASE_REQUIRED: 'is encrypted: give its passphrase',
  KEY_PASSPHRASE_WRONG: 'could not be decrypted with that passphrase',
};

/** Secrets cannot be read or written while the vault is sealed: 503 SEALED. */
export function assertUnsealed(vault: Vault): void {
  if (vault.sealed) {
    throw new AppError(
      'SEALED',
      `PassMan is sealed (${vault.sealedReason ?? 'no master key'}): secrets cannot be read or written until an administrator provides the master key`,
    );
  }
}

function invalid(path: string, message: string, code?: string): AppError {
  return new AppError('VALIDATION_FAILED', `The request body is invalid: ${path.replace('body.', '')} ${message}`, {
    errors: [{ path, message, code }],
  });
}

/**
 * Produces the secret a request asks for: typed (checked against the policy), generated
 * from the policy, or an imported SSH key (parsed, its type detected). Never echoes input.
 */
export async function produceSecret(request: SecretRequest, policy: Policy): Promise<SecretMaterial> {
  const base = { sshKeyType: null, publicKey: null, fingerprint: null, keyBits: null, weak: false };
  if (request.type === 'PASSWORD') {
    if (request.value !== undefined) {
      return { ...base, secret: request.value, origin: 'TYPED', compliant: secretCompliance('PASSWORD', request.value, policy) };
    }
    return { ...base, secret: wrapPolicyError(() => generatePassword(policy)), origin: 'GENERATED', compliant: true };
  }
  if (request.type === 'PIN') {
    if (request.value !== undefined) {
      return { ...base, secret: request.value, origin: 'TYPED', compliant: secretCompliance('PIN', request.value, policy) };
    }
    return { ...base, secret: generatePin(policy), origin: 'GENERATED', compliant: true };
  }

  if (request.privateKey !== undefined) {
    let key;
    try {
      key = await importSshPrivateKey(request.privateKey, { passphrase: request.passphrase });
    } catch (error) {
      if (isVaultError(error) && KEY_PROBLEMS[error.code]) throw invalid('body.privateKey', KEY_PROBLEMS[error.code]!, error.code);
      throw error;
    }
    if (request.sshKeyType && request.sshKeyType !== key.type) {
      throw invalid('body.sshKeyType', `does not match the key, which is ${key.type}`);
    }
    return {
      secret: key.privateKey,
      origin: 'IMPORTED',
      sshKeyType: key.type,
      publicKey: key.publicKey,
      fingerprint: key.fingerprint,
      keyBits: key.bits,
      weak: key.weak,
      compliant: sshKeyCompliance(key, policy),
    };
  }

  const type = request.sshKeyType ?? policy.sshKeyType;
  const bits = request.sshKeyBits ?? (type === policy.sshKeyType ? (policy.sshKeyBits ?? undefined) : undefined);
  let key;
  try {
    key = await generateSshKey({ type, bits });
  } catch (error) {
    if (isVaultError(error, 'KEY_SPEC_INVALID')) throw invalid('body.sshKeyBits', error.message, error.code);
    throw error;
  }
  return {
    secret: key.privateKey,
    origin: 'GENERATED',
    sshKeyType: key.type,
    publicKey: key.publicKey,
    fingerprint: key.fingerprint,
    keyBits: key.bits,
    weak: isWeakSshKey(key.type, key.bits),
    // Judged like an imported key: the request may have asked for another type or size than the policy's.
    compliant: sshKeyCompliance(key, policy),
  };
}

function wrapPolicyError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isVaultError(error, 'POLICY_UNSATISFIABLE') || isVaultError(error, 'POLICY_INVALID')) {
      throw new AppError('UNPROCESSABLE', `The account's policy cannot produce a password: ${error.message}`);
    }
    throw error;
  }
}

/**
 * The columns of a credential version holding `material`: encrypted for exactly that
 * credential and version (the ciphertext cannot be moved to another row), plus public facts.
 */
export function sealedVersion(
  vault: Vault,
  material: SecretMaterial,
  at: { credentialId: string; version: number; state: 'CURRENT' | 'PENDING'; createdById: string | null },
) {
  return {
    version: at.version,
    state: at.state,
    origin: material.origin,
    ...vault.encrypt(material.secret, { credentialId: at.credentialId, version: at.version, purpose: CREDENTIAL_SECRET_PURPOSE }),
    publicKey: material.publicKey,
    fingerprint: material.fingerprint,
    keyBits: material.keyBits,
    compliant: material.compliant,
    restoredFrom: material.restoredFrom ?? null,
    createdById: at.createdById,
  };
}

/** The slot a credential occupies on its account: one password, one PIN, one key per type. */
export function slotOf(type: 'PASSWORD' | 'PIN' | 'SSH_KEY', sshKeyType: SshKeyType | null): string {
  return type === 'SSH_KEY' ? sshKeyType! : type.toLowerCase();
}

/** The secret of a stored version (the counterpart of `sealedVersion`); throws if it was moved or tampered with. */
export function openedSecret(vault: Vault, version: StoredRecord & { credentialId: string; version: number }): string {
  const plaintext = vault.decrypt(version, { credentialId: version.credentialId, version: version.version, purpose: CREDENTIAL_SECRET_PURPOSE });
  try {
    return plaintext.toString('utf8');
  } finally {
    plaintext.fill(0);
  }
}
