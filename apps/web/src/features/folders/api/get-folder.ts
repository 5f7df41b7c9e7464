import { folderRoutes } from '@passman/contracts';
import type { Folder } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { folderKeys } from './query-keys';

/** `GET /folders/{id}`: one folder with its path, counts and the caller's rights on it. */
export function getFolder(id: string, signal?: AbortSignal): Promise<Folder> {
  return api.call(folderRoutes.get, { params: { id }, signal });
}

export function useFolder(id: string, initialData?: Folder) {
  return useQuery({ queryKey: folderKeys.detail(id), queryFn: ({ signal }) => getFolder(id, signal), initialData, staleTime: 0 });
}
