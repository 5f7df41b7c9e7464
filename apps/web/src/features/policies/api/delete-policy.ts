import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `DELETE /policies/{id}` (not the default; its accounts fall back to the default). */
export function deletePolicy(id: string): Promise<void> {
  return api.delete(`/policies/${encodeURIComponent(id)}`);
}

export function useDeletePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deletePolicy,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['policies'] }), queryClient.invalidateQueries({ queryKey: ['accounts'] })]),
  });
}
