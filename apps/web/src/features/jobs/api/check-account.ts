import type { Job } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { jobQueryKey } from './get-job';

/** `POST /accounts/{id}/check` → 202 with the job that logs in with each stored credential. */
export function checkAccount(accountId: string): Promise<Job> {
  return api.post<Job>(`/accounts/${encodeURIComponent(accountId)}/check`);
}

export function useCheckAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: checkAccount,
    onSuccess: (job) => queryClient.setQueryData(jobQueryKey(job.id), job),
  });
}
