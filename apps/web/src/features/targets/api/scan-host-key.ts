import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetQueryKey } from './get-target';

export interface ScannedHostKey {
  algorithm: string;
  fingerprint: string;
  status: 'PENDING' | 'APPROVED' | 'REVOKED';
}

/** `POST /targets/{id}/host-key/scan`: connect (no credential sent) and record the key offered. */
export function scanHostKey(targetId: string): Promise<ScannedHostKey> {
  return api.post<ScannedHostKey>(`/targets/${encodeURIComponent(targetId)}/host-key/scan`);
}

export function useScanHostKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: scanHostKey,
    onSuccess: (_key, targetId) =>
      Promise.all([queryClient.invalidateQueries({ queryKey: targetQueryKey(targetId) }), queryClient.invalidateQueries({ queryKey: ['targets', 'list'] })]),
  });
}
