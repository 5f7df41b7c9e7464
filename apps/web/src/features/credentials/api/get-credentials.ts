import type { Credential } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export const credentialsQueryKey = (accountId: string) => ['credentials', 'account', accountId] as const;

/** `GET /accounts/{id}/credentials`: metadata of each secret slot, never the secret. */
export async function getCredentials(accountId: string, signal?: AbortSignal): Promise<Credential[]> {
  const page = await api.get<{ items: Credential[] }>(`/accounts/${encodeURIComponent(accountId)}/credentials`, { signal });
  return page.items;
}

export function useCredentials(accountId: string) {
  return useQuery({ queryKey: credentialsQueryKey(accountId), queryFn: ({ signal }) => getCredentials(accountId, signal), staleTime: 5_000 });
}
