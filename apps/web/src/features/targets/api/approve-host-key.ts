import { hostKeyRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetKeys } from './query-keys';

export interface ApproveHostKeyInput {
  targetId: string;
  /** `SHA256:` and 43 characters of unpadded base64, as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

/** `POST /targets/{id}/host-key/approve`: pin this key; the target's other keys are revoked. */
export function approveHostKey({
  targetId,
  fingerprint,
}: ApproveHostKeyInput): Promise<{ fingerprint: string; status: 'APPROVED'; previousFingerprints: string[] }> {
  return api.call(hostKeyRoutes.approve, { params: { id: targetId }, body: { fingerprint } });
}

export function useApproveHostKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: approveHostKey,
    onSuccess: (_result, { targetId }) =>
      Promise.all([queryClient.invalidateQueries({ queryKey: targetKeys.detail(targetId) }), queryClient.invalidateQueries({ queryKey: targetKeys.lists() })]),
  });
}
