import { jobRoutes } from '@passman/contracts';
import type { Job, ResetRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { jobKeys } from './query-keys';

export type ResetInput = Omit<ResetRequest, 'changeOnTarget'> & { changeOnTarget: boolean; accountId: string };

/** `POST /accounts/{id}/reset` → 202 with the Reset Credentials job. */
export function resetCredentials({ accountId, ...body }: ResetInput): Promise<Job> {
  return api.call(jobRoutes.reset, { params: { id: accountId }, body });
}

export function useResetCredentials() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetCredentials,
    onSuccess: (job) => queryClient.setQueryData(jobKeys.detail(job.id), job),
  });
}
