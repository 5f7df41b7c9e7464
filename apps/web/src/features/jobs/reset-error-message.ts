import type { CredentialType } from '@passman/contracts';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';

/** What the reset request asked, as far as its refusals depend on it. */
export interface ResetAsked {
  credentialType: CredentialType;
  changeOnTarget: boolean;
}

/** A refused reset request in words the dialog's context allows; undefined: the generic sentence. */
export function resetErrorMessage(error: unknown, asked: ResetAsked | null): string | undefined {
  if (!isApiError(error)) return undefined;
  // UNPROCESSABLE, not any 422: a field that breaks its schema (VALIDATION_FAILED) is a 422 too.
  if (error.code === 'UNPROCESSABLE' && asked?.credentialType === 'PIN' && asked.changeOnTarget) return t('reset.pinOnTargetError');
  if (error.status === 409 && asked && !asked.changeOnTarget) return t('reset.ackRequired');
  if (error.status === 409) return t('reset.busy');
  return undefined;
}
