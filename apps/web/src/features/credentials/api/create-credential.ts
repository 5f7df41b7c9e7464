import type { CreateCredentialRequest, Credential } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `POST /accounts/{id}/credentials`: typed, generated from the policy, or an imported SSH key. */
export function createCredential({ accountId, ...body }: CreateCredentialRequest & { accountId: string }): Promise<Credential> {
  return api.post<Credential>(`/accounts/${encodeURIComponent(accountId)}/credentials`, body);
}

export function useCreateCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCredential,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['credentials'] }), queryClient.invalidateQueries({ queryKey: ['accounts'] })]),
  });
}
