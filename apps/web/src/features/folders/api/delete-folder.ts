import { folderRoutes } from '@passman/contracts';
import type { DeleteFolderQuery } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { targetKeys } from '@/features/targets/api/query-keys';
import { folderKeys } from './query-keys';

export interface DeleteFolderInput {
  id: string;
  /** refuse: only an empty folder; move: its folders and targets go up to its parent; delete: everything below it goes. */
  content: DeleteFolderQuery['content'];
}

/** `DELETE /folders/{id}?content=`. */
export function deleteFolder({ id, content }: DeleteFolderInput): Promise<void> {
  return api.call(folderRoutes.delete, { params: { id }, query: { content } });
}

export function useDeleteFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteFolder,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: folderKeys.all }),
        queryClient.invalidateQueries({ queryKey: targetKeys.all }),
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
      ]),
  });
}
