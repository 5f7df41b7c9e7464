import { hostKeyRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetKeys } from './query-keys';

export interface ScannedHostKey {
  algorithm: string;
  fingerprint: string;
  status: 'PENDING' | 'APPROVED' | 'REVOKED';
}

/** `POST /targets/{id}/host-key/scan`: connect (no credential sent) and record the key offered. */
export function scanHostKey(targetId: string): Promise<ScannedHostKey> {
  return api.call(hostKeyRoutes.scan, { params: { id: targetId } });
}

export function useScanHostKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: scanHostKey,
    onSuccess: (_key, targetId) =>
      Promise.all([queryClient.invalidateQueries({ queryKey: targetKeys.detail(targetId) }), queryClient.invalidateQueries({ queryKey: targetKeys.lists() })]),
  });
}
