import { folderRoutes } from '@passman/contracts';
import type { FolderList } from '@passman/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { folderKeys } from './query-keys';

/** `GET /folders`: every folder the caller may see (and those on the way to them), parents first. */
export function getFolders(signal?: AbortSignal): Promise<FolderList> {
  return api.call(folderRoutes.list, { query: {}, signal });
}

export function foldersQueryOptions() {
  return queryOptions({ queryKey: folderKeys.tree(), queryFn: ({ signal }) => getFolders(signal), staleTime: 10_000 });
}

export function useFolders() {
  return useQuery(foldersQueryOptions());
}
