import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `DELETE /targets/{id}`: the target with all its accounts and their history. */
export function deleteTarget(id: string): Promise<void> {
  return api.delete(`/targets/${encodeURIComponent(id)}`);
}

export function useDeleteTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTarget,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['targets'] }), queryClient.invalidateQueries({ queryKey: ['accounts'] })]),
  });
}
