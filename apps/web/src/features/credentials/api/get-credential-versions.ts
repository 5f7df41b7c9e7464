import type { CredentialVersion } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `GET /credentials/{id}/versions`: the history of one credential, newest first. */
export async function getCredentialVersions(credentialId: string, signal?: AbortSignal): Promise<CredentialVersion[]> {
  const page = await api.get<{ items: CredentialVersion[] }>(`/credentials/${encodeURIComponent(credentialId)}/versions`, { signal });
  return page.items;
}

export function useCredentialVersions(credentialId: string) {
  return useQuery({
    queryKey: ['credentials', 'versions', credentialId],
    queryFn: ({ signal }) => getCredentialVersions(credentialId, signal),
  });
}
