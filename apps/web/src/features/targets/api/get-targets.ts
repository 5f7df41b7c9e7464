import type { TargetPage, TargetSort } from '@passman/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export interface TargetListParams {
  q?: string | undefined;
  sort?: TargetSort | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** `GET /targets?q=&sort=&limit=&cursor=` → one keyset page. */
export function getTargets(params: TargetListParams, signal?: AbortSignal): Promise<TargetPage> {
  return api.get<TargetPage>('/targets', { query: { ...params }, signal });
}

export function targetsQueryOptions(params: TargetListParams) {
  return queryOptions({
    queryKey: ['targets', 'list', params],
    queryFn: ({ signal }) => getTargets(params, signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

export function useTargets(params: TargetListParams) {
  return useQuery(targetsQueryOptions(params));
}
