import { folderRoutes } from '@passman/contracts';
import type { Folder, UpdateFolderRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { targetKeys } from '@/features/targets/api/query-keys';
import { folderKeys } from './query-keys';

/** `PATCH /folders/{id}`: rename it, or move it with everything below it under another parent. */
export function updateFolder({ id, ...changes }: UpdateFolderRequest & { id: string }): Promise<Folder> {
  return api.call(folderRoutes.update, { params: { id }, body: changes });
}

export function useUpdateFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateFolder,
    // A move changes what each folder holds, and the rights inherited below it: the lists' rows carry those rights.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: folderKeys.all }),
        queryClient.invalidateQueries({ queryKey: targetKeys.all }),
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
      ]),
  });
}
