// @passman/vault: envelope encryption of secrets, master keys, password/PIN/SSH key
// generation and SSH key import. Pure library: no HTTP, no database.
export { VaultError, isVaultError, type VaultErrorCode } from './vault-error.js';

export { CREDENTIAL_SECRET_PURPOSE, type EnvelopeContext } from './aad.js';
export { createVault, type Vault, type CreateVaultOptions, type EncryptedRecord, type StoredRecord } from './envelope.js';
export { createMasterKeyRing, MASTER_KEY_BYTES, type MasterKeyRing, type MasterKeyRingInit } from './master-key-ring.js';
export {
  loadMasterKeyRing,
  parseMasterKeySpec,
  ensureMasterKeyFile,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE_ENV,
  type LoadedMasterKeyRing,
} from './master-key-config.js';
export { createKeyCheck, verifyKeyCheck, type KeyCheckResult } from './key-check.js';

export {
  DEFAULT_PASSWORD_POLICY,
  DEFAULT_PIN_POLICY,
  CHARACTER_CLASSES,
  AMBIGUOUS_CHARS,
  PASSWORD_LENGTH_MIN,
  PASSWORD_LENGTH_MAX,
  PIN_LENGTH_MIN,
  PIN_LENGTH_MAX,
  type PasswordPolicy,
  type PinPolicy,
  type CharacterClassName,
} from './password-policy.js';
export { generatePassword, resolvePasswordPolicy, type ResolvedPasswordPolicy } from './password-generator.js';
export { generatePin } from './pin-generator.js';
export { checkPasswordCompliance, checkPinCompliance, type ComplianceResult, type ComplianceReason, type ComplianceReasonCode } from './password-compliance.js';
export { assertSafeSecret, isSafeSecret } from './safe-secret.js';

export {
  SSH_KEY_TYPES,
  DEFAULT_SSH_KEY_TYPE,
  RSA_GENERATION_BITS,
  DEFAULT_RSA_BITS,
  isSshKeyType,
  isWeakSshKey,
  type SshKeyType,
  type SshKeyMaterial,
  type SshPublicKeyInfo,
} from './ssh-key-types.js';
export { generateSshKey, keyGenerationLoad, type GenerateSshKeyOptions, type GeneratedSshKey } from './ssh-key-generator.js';
export { importSshPrivateKey, type ImportSshKeyOptions, type ImportedSshKey, type ImportedKeyFormat } from './ssh-key-import.js';
export { sshFingerprint, fingerprintOfPublicKey } from './fingerprint.js';
export { encodeSealedText, decodeSealedText } from './sealed-text.js';
