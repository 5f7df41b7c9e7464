import { policyRoutes } from '@passman/contracts';
import type { CreatePolicyRequest, Policy } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { policyKeys } from './query-keys';

/** `POST /policies` (fields left out take the API's defaults). */
export function createPolicy(input: Partial<CreatePolicyRequest> & Pick<CreatePolicyRequest, 'name'>): Promise<Policy> {
  return api.call(policyRoutes.create, { body: input });
}

export function useCreatePolicy() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createPolicy, onSuccess: () => queryClient.invalidateQueries({ queryKey: policyKeys.all }) });
}
