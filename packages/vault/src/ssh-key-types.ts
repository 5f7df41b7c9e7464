import type { SshKeyType } from '@passman/contracts/limits';

/** The SSH key types PassMan stores, generates and installs: one list, in the contracts. */
export { SSH_KEY_TYPES, isSshKeyType, type SshKeyType } from '@passman/contracts/limits';

export const DEFAULT_SSH_KEY_TYPE: SshKeyType = 'ssh-rsa';
export const RSA_GENERATION_BITS = [2048, 3072, 4096] as const;
export const DEFAULT_RSA_BITS = 3072;

/** Sizes that OpenSSH accepts on import (it refuses RSA under 1024 bits and DSA other than 1024). */
export const RSA_IMPORT_MIN_BITS = 1024;
export const RSA_IMPORT_MAX_BITS = 16384;
export const DSA_BITS = 1024;

export interface SshPublicKeyInfo {
  type: SshKeyType;
  /** Modulus size for RSA/DSA, curve size for ECDSA/Ed25519. */
  bits: number;
  /** One authorized_keys line: `<type> <base64> [comment]`. */
  publicKey: string;
  /** `SHA256:` + unpadded base64, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** DSA (legacy: 1024 bits, SHA-1, removed from OpenSSH 10) and RSA under 2048 bits. */
  weak: boolean;
}

export interface SshKeyMaterial extends SshPublicKeyInfo {
  /** Unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`); encrypt it with the vault. */
  privateKey: string;
}

export function isWeakSshKey(type: SshKeyType, bits: number): boolean {
  return type === 'ssh-dss' || (type === 'ssh-rsa' && bits < 2048);
}
