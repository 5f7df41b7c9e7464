import type { CredentialType } from '@passman/contracts';
import { MAX_PASSWORD_BYTES, MAX_SSH_PRIVATE_KEY_BYTES, PIN_MAX_DIGITS, PIN_MIN_DIGITS, typedSecretIssue } from '@passman/contracts/limits';
import { t } from '@/i18n';

/**
 * What is wrong with a typed password, PIN or private key, in words, or undefined: the API's
 * own rules (the contracts' limits module), checked before the request is sent. An empty value
 * is left to the caller, which knows what to ask for instead.
 */
export function typedSecretError(type: CredentialType, value: string): string | undefined {
  const issue = typedSecretIssue(type, value);
  if (!issue || issue === 'EMPTY') return undefined;
  if (issue === 'TOO_LONG') return t('secret.issue.TOO_LONG', { max: type === 'SSH_KEY' ? MAX_SSH_PRIVATE_KEY_BYTES : MAX_PASSWORD_BYTES });
  if (issue === 'NOT_A_PIN') return t('secret.issue.NOT_A_PIN', { min: PIN_MIN_DIGITS, max: PIN_MAX_DIGITS });
  return t(`secret.issue.${issue}`);
}
