import { accountRoutes } from '@passman/contracts';
import type { Account } from '@passman/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from './query-keys';

/** `GET /accounts/{id}`. */
export function getAccount(id: string, signal?: AbortSignal): Promise<Account> {
  return api.call(accountRoutes.get, { params: { id }, signal });
}

export function useAccount(id: string, initialData?: Account) {
  return useQuery(
    queryOptions({
      queryKey: accountKeys.detail(id),
      queryFn: ({ signal }) => getAccount(id, signal),
      initialData,
      staleTime: initialData ? 0 : 10_000,
    }),
  );
}
