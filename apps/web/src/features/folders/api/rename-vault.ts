import { folderRoutes } from '@passman/contracts';
import type { Folder } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { folderKeys } from './query-keys';

/** `PATCH /vault`: rename the root of the tree, e.g. to the organisation's name (needs manage on it). */
export function renameVault(name: string): Promise<Folder> {
  return api.call(folderRoutes.renameVault, { body: { name } });
}

export function useRenameVault() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: renameVault,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: folderKeys.all }),
  });
}
