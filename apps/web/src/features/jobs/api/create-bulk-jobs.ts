import { jobRoutes } from '@passman/contracts';
import type { Batch, BulkJobRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { batchKeys, jobKeys } from './query-keys';

/** `POST /jobs/bulk`: Check or Reset many accounts as one batch. */
export function createBulkJobs(input: BulkJobRequest): Promise<Batch> {
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
