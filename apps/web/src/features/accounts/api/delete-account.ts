import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `DELETE /accounts/{id}` (refused while the account is checked out). */
export function deleteAccount(id: string): Promise<void> {
  return api.delete(`/accounts/${encodeURIComponent(id)}`);
}

export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAccount,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['accounts'] }), queryClient.invalidateQueries({ queryKey: ['targets'] })]),
  });
}
