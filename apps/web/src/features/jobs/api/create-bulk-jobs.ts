import type { Batch, BulkJobRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { batchQueryKey } from './get-batch';

/** `POST /jobs/bulk`: Check or Reset many accounts as one batch. */
export function createBulkJobs(input: BulkJobRequest): Promise<Batch> {
  return api.post<Batch>('/jobs/bulk', input);
}

export function useCreateBulkJobs() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createBulkJobs,
    onSuccess: (batch) => {
      queryClient.setQueryData(batchQueryKey(batch.id), batch);
      return queryClient.invalidateQueries({ queryKey: ['jobs', 'list'] });
    },
  });
}
