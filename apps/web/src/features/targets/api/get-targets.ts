import { targetRoutes } from '@passman/contracts';
import type { TargetPage } from '@passman/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetKeys, type TargetListParams } from './query-keys';

export type { TargetListParams } from './query-keys';

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
