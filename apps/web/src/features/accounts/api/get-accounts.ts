import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import type { AccountListItem, AccountListParams } from '../types';

export const DEFAULT_PAGE_SIZE = 50;

/** `GET /accounts?limit=&cursor=&q=&status=&sort=` → one page. */
export function getAccounts(
  params: AccountListParams & { cursor?: string | null },
  signal?: AbortSignal,
): Promise<Page<AccountListItem>> {
  return api.get<Page<AccountListItem>>('/accounts', {
    query: { limit: DEFAULT_PAGE_SIZE, ...params },
    signal,
  });
}

export function accountsQueryOptions(params: AccountListParams = {}) {
  return infiniteQueryOptions({
    queryKey: ['accounts', 'list', params],
    queryFn: ({ pageParam, signal }) => getAccounts({ ...params, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useAccounts(params: AccountListParams = {}) {
  return useInfiniteQuery(accountsQueryOptions(params));
}
