import type { Account } from '@passman/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export const accountQueryKey = (id: string) => ['accounts', 'detail', id] as const;

/** `GET /accounts/{id}`. */
export function getAccount(id: string, signal?: AbortSignal): Promise<Account> {
  return api.get<Account>(`/accounts/${encodeURIComponent(id)}`, { signal });
}

export function useAccount(id: string, initialData?: Account) {
  return useQuery(
    queryOptions({
      queryKey: accountQueryKey(id),
      queryFn: ({ signal }) => getAccount(id, signal),
      initialData,
      staleTime: initialData ? 0 : 10_000,
    }),
  );
}
