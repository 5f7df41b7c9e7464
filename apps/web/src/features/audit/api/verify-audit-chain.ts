import type { AuditVerifyResult } from '@passman/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `GET /audit/verify`: recompute the hash chain; reports edited rows and broken links. */
export function verifyAuditChain(): Promise<AuditVerifyResult> {
  return api.get<AuditVerifyResult>('/audit/verify');
}

/** A mutation, not a query: it runs when the operator asks, and is never cached. */
export function useVerifyAuditChain() {
  return useMutation({ mutationFn: verifyAuditChain });
}
