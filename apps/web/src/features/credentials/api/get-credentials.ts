import { credentialRoutes } from '@passman/contracts';
import type { Credential } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { credentialKeys } from './query-keys';

/** `GET /accounts/{id}/credentials`: metadata of each secret slot, never the secret. */
export async function getCredentials(accountId: string, signal?: AbortSignal): Promise<Credential[]> {
  const page = await api.call(credentialRoutes.list, { params: { id: accountId }, signal });
  return page.items;
}

export function useCredentials(accountId: string) {
  return useQuery({ queryKey: credentialKeys.ofAccount(accountId), queryFn: ({ signal }) => getCredentials(accountId, signal), staleTime: 5_000 });
}
