import { targetRoutes } from '@passman/contracts';
import type { TargetPage, TargetSort } from '@passman/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetKeys } from './query-keys';

export interface TargetListParams {
  q?: string | undefined;
  sort?: TargetSort | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** `GET /targets?q=&sort=&limit=&cursor=` → one keyset page. */
export function getTargets(params: TargetListParams, signal?: AbortSignal): Promise<TargetPage> {
  return api.call(targetRoutes.list, { query: { ...params, cursor: params.cursor ?? undefined }, signal });
}

export function targetsQueryOptions(params: TargetListParams) {
  return queryOptions({
    queryKey: targetKeys.list(params),
    queryFn: ({ signal }) => getTargets(params, signal),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

export function useTargets(params: TargetListParams) {
  return useQuery(targetsQueryOptions(params));
}
