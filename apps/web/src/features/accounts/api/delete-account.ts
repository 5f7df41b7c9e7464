import { accountRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from './query-keys';
import { folderKeys } from '@/features/folders/api/query-keys';
import { targetKeys } from '@/features/targets/api/query-keys';

/** `DELETE /accounts/{id}` (refused while the account is checked out). */
export function deleteAccount(id: string): Promise<void> {
  return api.call(accountRoutes.delete, { params: { id } });
}

export function useDeleteAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAccount,
    // The target's and the folders' counts change too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
        queryClient.invalidateQueries({ queryKey: targetKeys.all }),
        queryClient.invalidateQueries({ queryKey: folderKeys.all }),
      ]),
  });
}
