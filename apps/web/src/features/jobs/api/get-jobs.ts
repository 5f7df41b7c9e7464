import { jobRoutes } from '@passman/contracts';
import type { Job } from '@passman/contracts';
import { hasJobSettled } from '@passman/contracts/job-rules';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { jobKeys, type JobListQuery } from './query-keys';

export type { JobListQuery } from './query-keys';

/** `GET /jobs`: newest first. */
export function getJobs(query: JobListQuery, signal?: AbortSignal): Promise<Page<Job>> {
  return api.call(jobRoutes.list, { query: { ...query, cursor: query.cursor ?? undefined }, signal });
}

/** `live`: refetch every 2 s while a job of the page is queued or running. */
export function useJobs(query: JobListQuery, options: { live?: boolean } = {}) {
  return useQuery({
    queryKey: jobKeys.list(query),
    queryFn: ({ signal }) => getJobs(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (current) => (options.live && current.state.data?.items.some((j) => !hasJobSettled(j)) ? 2000 : false),
  });
}
