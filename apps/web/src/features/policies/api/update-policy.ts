import { policyRoutes } from '@passman/contracts';
import type { Policy, UpdatePolicyRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { policyKeys } from './query-keys';

/** `PATCH /policies/{id}`. */
export function updatePolicy({ id, ...changes }: UpdatePolicyRequest & { id: string }): Promise<Policy> {
  return api.call(policyRoutes.update, { params: { id }, body: changes });
}

export function useUpdatePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updatePolicy,
    // Compliance of accounts may follow a policy change.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: policyKeys.all }), queryClient.invalidateQueries({ queryKey: accountKeys.all })]),
  });
}
