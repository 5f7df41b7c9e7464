import { credentialRoutes } from '@passman/contracts';
import type { CreateCredentialRequest, Credential } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { credentialKeys } from './query-keys';

/** `POST /accounts/{id}/credentials`: typed, generated from the policy, or an imported SSH key. */
export function createCredential({ accountId, ...body }: CreateCredentialRequest & { accountId: string }): Promise<Credential> {
  return api.call(credentialRoutes.create, { params: { id: accountId }, body });
}

export function useCreateCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createCredential,
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: credentialKeys.all }), queryClient.invalidateQueries({ queryKey: accountKeys.all })]),
  });
}
