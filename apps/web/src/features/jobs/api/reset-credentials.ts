import type { Job, ResetRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { jobQueryKey } from './get-job';

export type ResetInput = Omit<ResetRequest, 'changeOnTarget'> & { changeOnTarget: boolean; accountId: string };

/** `POST /accounts/{id}/reset` → 202 with the Reset Credentials job. */
export function resetCredentials({ accountId, ...body }: ResetInput): Promise<Job> {
  return api.post<Job>(`/accounts/${encodeURIComponent(accountId)}/reset`, body);
}

export function useResetCredentials() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetCredentials,
    onSuccess: (job) => queryClient.setQueryData(jobQueryKey(job.id), job),
  });
}
