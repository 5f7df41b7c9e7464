import { groupRoutes } from '@passman/contracts';
import type { Group } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { groupKeys, type GroupListParams } from './query-keys';

/** `GET /groups?q=&userId=`: user groups by name. */
export function getGroups(params: GroupListParams, signal?: AbortSignal): Promise<{ items: Group[] }> {
  return api.call(groupRoutes.list, { query: params, signal });
}

export function useGroups(params: GroupListParams = {}, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: groupKeys.list(params), queryFn: ({ signal }) => getGroups(params, signal), placeholderData: keepPreviousData, enabled });
}
