import { APPROVAL_REQUIRED, ApprovalRequiredSchema, type ApprovalRequired } from '@passman/contracts';
import { isApiError } from '@/lib/api-client';

/** What a checkout or reset refused for want of an approval says (the request form needs it); null for any other error. */
export function approvalRequired(error: unknown): ApprovalRequired | null {
  if (!isApiError(error) || error.code !== APPROVAL_REQUIRED) return null;
  const parsed = ApprovalRequiredSchema.safeParse(error.extensions);
  return parsed.success ? parsed.data : null;
}
