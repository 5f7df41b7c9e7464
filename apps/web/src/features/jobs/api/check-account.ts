import { jobRoutes } from '@passman/contracts';
import type { Job } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { jobKeys } from './query-keys';

/** `POST /accounts/{id}/check` → 202 with the job that logs in with each stored credential. */
export function checkAccount(accountId: string): Promise<Job> {
  return api.call(jobRoutes.check, { params: { id: accountId } });
}

export function useCheckAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: checkAccount,
    onSuccess: (job) => queryClient.setQueryData(jobKeys.detail(job.id), job),
  });
}
