import type { CredentialType, SshKeyType } from '@passman/contracts';
import { t } from '@/i18n';

// From the contracts' plain limits module: the lists without zod in the bundle.
export { CREDENTIAL_TYPES, SSH_KEY_TYPES } from '@passman/contracts/limits';

export function credentialTypeLabel(type: CredentialType): string {
  return t(`credentials.type.${type}`);
}

/** "SSH key (ssh-ed25519)", "Password". */
export function credentialLabel(credential: { type: CredentialType; sshKeyType: SshKeyType | null }): string {
  return credential.type === 'SSH_KEY' && credential.sshKeyType
    ? t('credentials.sshKeyOfType', { keyType: credential.sshKeyType })
    : credentialTypeLabel(credential.type);
}
