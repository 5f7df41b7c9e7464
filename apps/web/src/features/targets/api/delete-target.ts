import { targetRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { folderKeys } from '@/features/folders/api/query-keys';
import { targetKeys } from './query-keys';

/** `DELETE /targets/{id}`: the target with all its accounts and their history. */
export function deleteTarget(id: string): Promise<void> {
  return api.call(targetRoutes.delete, { params: { id } });
}

export function useDeleteTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTarget,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: targetKeys.all }),
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
        queryClient.invalidateQueries({ queryKey: folderKeys.all }),
      ]),
  });
}
