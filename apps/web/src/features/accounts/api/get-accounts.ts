import type { AccountPage, AccountSort, AccountStatus } from '@passman/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export interface AccountListParams {
  /** Only this target's accounts, through `GET /targets/{id}/accounts` (the Accounts pop-up). */
  targetId?: string | undefined;
  /** With `GET /accounts`: filter by target without the pop-up's endpoint. */
  filterTargetId?: string | undefined;
  q?: string | undefined;
  status?: AccountStatus | undefined;
  sort?: AccountSort | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** `GET /accounts` or `GET /targets/{id}/accounts` → one keyset page. */
export function getAccounts(params: AccountListParams, signal?: AbortSignal): Promise<AccountPage> {
  const { targetId, filterTargetId, ...query } = params;
  const path = targetId ? `/targets/${encodeURIComponent(targetId)}/accounts` : '/accounts';
  return api.get<AccountPage>(path, { query: { ...query, targetId: targetId ? undefined : filterTargetId }, signal });
}

export function accountsQueryOptions(params: AccountListParams) {
  return queryOptions({
    queryKey: ['accounts', 'list', params],
    queryFn: ({ signal }) => getAccounts(params, signal),
    // The previous page stays on screen (dimmed) while the next one loads: nothing jumps.
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

export function useAccounts(params: AccountListParams) {
  return useQuery(accountsQueryOptions(params));
}
