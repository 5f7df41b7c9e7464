import { credentialRoutes } from '@passman/contracts';
import type { CredentialVersion } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { credentialKeys } from './query-keys';

/** `GET /credentials/{id}/versions`: the history of one credential, newest first. */
export async function getCredentialVersions(credentialId: string, signal?: AbortSignal): Promise<CredentialVersion[]> {
  const page = await api.call(credentialRoutes.versions, { params: { id: credentialId }, signal });
  return page.items;
}

export function useCredentialVersions(credentialId: string) {
  return useQuery({
    queryKey: credentialKeys.versions(credentialId),
    queryFn: ({ signal }) => getCredentialVersions(credentialId, signal),
  });
}
