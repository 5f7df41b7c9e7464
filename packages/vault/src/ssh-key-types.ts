import type { SshKeyType } from '@passman/contracts/limits';

/** The SSH key types, their sizes and what makes one weak: one list, in the contracts. */
export {
  SSH_KEY_TYPES,
  DEFAULT_SSH_KEY_TYPE,
  RSA_GENERATION_BITS,
  DEFAULT_RSA_BITS,
  RSA_IMPORT_MIN_BITS,
  RSA_IMPORT_MAX_BITS,
  DSA_BITS,
  SSH_KEY_BITS,
  isSshKeyType,
  isWeakSshKey,
  sshKeyTypesText,
  type SshKeyType,
} from '@passman/contracts/limits';

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
