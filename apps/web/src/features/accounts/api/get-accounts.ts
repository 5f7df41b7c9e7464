import { accountRoutes, targetRoutes } from '@passman/contracts';
import type { AccountPage } from '@passman/contracts';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys, type AccountListParams } from './query-keys';

export type { AccountListParams } from './query-keys';

/** `GET /accounts` (in a folder and below it, with `folderId`) or `GET /targets/{id}/accounts` → one keyset page. */
export function getAccounts(params: AccountListParams, signal?: AbortSignal): Promise<AccountPage> {
  const { targetId, filterTargetId, folderId, cursor, compliance, checkedOut, rotationOverdue, ...query } = params;
  if (targetId) return api.call(targetRoutes.accounts, { params: { id: targetId }, query: { ...query, cursor: cursor ?? undefined }, signal });
  return api.call(accountRoutes.list, {
    query: { ...query, cursor: cursor ?? undefined, targetId: filterTargetId, folderId, compliance, checkedOut, rotationOverdue },
    signal,
  });
}

export function accountsQueryOptions(params: AccountListParams) {
  return queryOptions({
    queryKey: accountKeys.list(params),
    queryFn: ({ signal }) => getAccounts(params, signal),
    // The previous page stays on screen (dimmed) while the next one loads: nothing jumps.
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

// Polling one page catches every job's end (no stream announces other users' or the API's jobs); TanStack skips it while the tab is hidden.
export const ACCOUNTS_REFRESH_MS = 5_000;

/** `live`: keep the list fresh while it is on screen (the tables; not a one-off pick list). */
export function useAccounts(params: AccountListParams, { live = false }: { live?: boolean } = {}) {
  return useQuery({
    ...accountsQueryOptions(params),
    ...(live ? { refetchInterval: ACCOUNTS_REFRESH_MS, refetchOnWindowFocus: true } : {}),
  });
}
