import type { Batch } from '@passman/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '@/lib/api-client';
import { useEventStream } from '@/lib/event-stream';
import { invalidateAfterJob } from './invalidate';

export const batchQueryKey = (id: string) => ['batches', id] as const;

/** `GET /batches/{id}`: progress counts of a batch. */
export function getBatch(id: string, signal?: AbortSignal): Promise<Batch> {
  return api.get<Batch>(`/batches/${encodeURIComponent(id)}`, { signal });
}

/** A batch, live through `GET /batches/{id}/events` (SSE, `batch` events), polled if that fails. */
export function useBatchProgress(id: string) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: batchQueryKey(id), queryFn: ({ signal }) => getBatch(id, signal), staleTime: Infinity });
  const done = query.data?.done ?? false;
  const streamFailed = useEventStream<Batch>(`/batches/${encodeURIComponent(id)}/events`, 'batch', !done, (batch) =>
    queryClient.setQueryData(batchQueryKey(id), batch),
  );
  const { refetch } = query;
  const polling = streamFailed && !done;
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void refetch(), 1500);
    return () => clearInterval(timer);
  }, [polling, refetch]);
  useEffect(() => {
    if (done) void invalidateAfterJob(queryClient);
  }, [done, queryClient]);
  return query;
}
