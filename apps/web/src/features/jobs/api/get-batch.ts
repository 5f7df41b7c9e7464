import { jobRoutes } from '@passman/contracts';
import type { Batch } from '@passman/contracts';
import { isBatchDone } from '@passman/contracts/job-rules';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '@/lib/api-client';
import { useEventStream } from '@/lib/event-stream';
import { invalidateAfterJob } from './invalidate';
import { batchKeys } from './query-keys';

/** `GET /batches/{id}`: progress counts of a batch. */
export function getBatch(id: string, signal?: AbortSignal): Promise<Batch> {
  return api.call(jobRoutes.batch, { params: { id }, signal });
}

/** A batch, live through `GET /batches/{id}/events` (SSE, `batch` events), polled if that fails. */
export function useBatchProgress(id: string) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: batchKeys.detail(id), queryFn: ({ signal }) => getBatch(id, signal), staleTime: Infinity });
  const done = query.data ? isBatchDone(query.data.counts) : false;
  const streamFailed = useEventStream<Batch>(api.url(jobRoutes.batchEvents, { params: { id } }), 'batch', !done, (batch) =>
    queryClient.setQueryData(batchKeys.detail(id), batch),
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
