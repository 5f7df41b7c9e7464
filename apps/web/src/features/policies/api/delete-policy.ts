import { policyRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { policyKeys } from './query-keys';

/** `DELETE /policies/{id}` (not the default; its accounts fall back to the default). */
export function deletePolicy(id: string): Promise<void> {
  return api.call(policyRoutes.delete, { params: { id } });
}

export function useDeletePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deletePolicy,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: policyKeys.all }), queryClient.invalidateQueries({ queryKey: accountKeys.all })]),
  });
}
