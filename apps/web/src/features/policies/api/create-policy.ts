import type { CreatePolicyRequest, Policy } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `POST /policies` (fields left out take the API's defaults). */
export function createPolicy(input: Partial<CreatePolicyRequest> & Pick<CreatePolicyRequest, 'name'>): Promise<Policy> {
  return api.post<Policy>('/policies', input);
}

export function useCreatePolicy() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createPolicy, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['policies'] }) });
}
