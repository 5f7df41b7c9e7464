import type { CredentialType, SshKeyType } from '@passman/contracts';
import { t } from '@/i18n';

// Values, not imports from the contracts (that would bring zod into the bundle).
export const CREDENTIAL_TYPES = ['PASSWORD', 'SSH_KEY', 'PIN'] as const satisfies readonly CredentialType[];
/** ssh-rsa first: it is the default key, as the manual names it. */
export const SSH_KEY_TYPES = ['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-dss', 'ssh-ed25519'] as const satisfies readonly SshKeyType[];

export function credentialTypeLabel(type: CredentialType): string {
  return t(`credentials.type.${type}`);
}

/** "SSH key (ssh-ed25519)", "Password". */
export function credentialLabel(credential: { type: CredentialType; sshKeyType: SshKeyType | null }): string {
  return credential.type === 'SSH_KEY' && credential.sshKeyType
    ? t('credentials.sshKeyOfType', { keyType: credential.sshKeyType })
    : credentialTypeLabel(credential.type);
}
