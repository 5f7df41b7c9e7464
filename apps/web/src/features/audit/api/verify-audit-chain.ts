import { auditRoutes } from '@passman/contracts';
import type { AuditVerifyResult } from '@passman/contracts';
import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `GET /audit/verify`: recompute the keyed chain against its signed head and checkpoints; reports what was tampered with and the first broken row. */
export function verifyAuditChain(): Promise<AuditVerifyResult> {
  return api.call(auditRoutes.verify);
}

/** A mutation, not a query: it runs when the operator asks, and is never cached. */
export function useVerifyAuditChain() {
  return useMutation({ mutationFn: verifyAuditChain });
}
