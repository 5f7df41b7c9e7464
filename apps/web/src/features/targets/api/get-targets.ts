import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import type { TargetListItem, TargetListParams } from '../types';

export const DEFAULT_PAGE_SIZE = 50;

/** `GET /targets?limit=&cursor=&q=&sort=` → one page. */
export function getTargets(
  params: TargetListParams & { cursor?: string | null },
  signal?: AbortSignal,
): Promise<Page<TargetListItem>> {
  return api.get<Page<TargetListItem>>('/targets', {
    query: { limit: DEFAULT_PAGE_SIZE, ...params },
    signal,
  });
}

export function targetsQueryOptions(params: TargetListParams = {}) {
  return infiniteQueryOptions({
    queryKey: ['targets', 'list', params],
    queryFn: ({ pageParam, signal }) => getTargets({ ...params, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useTargets(params: TargetListParams = {}) {
  return useInfiniteQuery(targetsQueryOptions(params));
}
