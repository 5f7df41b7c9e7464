import { jobRoutes } from '@passman/contracts';
import type { Job } from '@passman/contracts';
import { hasJobSettled } from '@passman/contracts/job-rules';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '@/lib/api-client';
import { useEventStream } from '@/lib/event-stream';
import { invalidateAfterJob } from './invalidate';
import { jobKeys } from './query-keys';

/** Its outcome will not change any more: the contracts' one rule, as the API and the worker read it. */
export const isJobFinished = hasJobSettled;

/** `GET /jobs/{id}`: one job with its timeline. */
export function getJob(id: string, signal?: AbortSignal): Promise<Job> {
  return api.call(jobRoutes.get, { params: { id }, signal });
}

/**
 * A job, live: follows `GET /jobs/{id}/events` (SSE, `job` events) until it ends, and polls
 * `GET /jobs/{id}` instead if the stream cannot be had. When it ends, what it changed is
 * refetched (account status, credentials, jobs, audit).
 */
export function useJobProgress(id: string) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: jobKeys.detail(id), queryFn: ({ signal }) => getJob(id, signal), staleTime: Infinity });
  const finished = query.data ? isJobFinished(query.data) : false;
  const streamFailed = useEventStream<Job>(api.url(jobRoutes.events, { params: { id } }), 'job', !finished, (job) =>
    queryClient.setQueryData(jobKeys.detail(id), job),
  );
  // Fallback: the stream broke (or ended without the last state) while the job still runs.
  const { refetch } = query;
  const polling = streamFailed && !finished;
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void refetch(), 1000);
    return () => clearInterval(timer);
  }, [polling, refetch]);
  useEffect(() => {
    if (finished) void invalidateAfterJob(queryClient);
  }, [finished, queryClient]);
  return query;
}
