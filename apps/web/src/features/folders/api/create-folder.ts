import { folderRoutes } from '@passman/contracts';
import type { CreateFolderRequest, Folder } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { folderKeys } from './query-keys';

/** `POST /folders` (needs manage on the parent). */
export function createFolder(input: CreateFolderRequest): Promise<Folder> {
  return api.call(folderRoutes.create, { body: input });
}

export function useCreateFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createFolder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: folderKeys.all }),
  });
}
