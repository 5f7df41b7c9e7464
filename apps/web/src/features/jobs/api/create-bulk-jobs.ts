import { jobRoutes } from '@passman/contracts';
import type { BulkJobRequest, BulkJobResponse } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { batchKeys, jobKeys } from './query-keys';

/** `POST /jobs/bulk`: Check or Reset many accounts as one batch; `refused` names the accounts left out, each with why. */
export function createBulkJobs(input: BulkJobRequest): Promise<BulkJobResponse> {
  return api.call(jobRoutes.bulk, { body: input });
}

export function useCreateBulkJobs() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createBulkJobs,
    onSuccess: (batch) => {
      queryClient.setQueryData(batchKeys.detail(batch.id), batch);
      return queryClient.invalidateQueries({ queryKey: jobKeys.lists() });
    },
  });
}
