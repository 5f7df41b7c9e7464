import { groupRoutes } from '@passman/contracts';
import type { GroupDetail } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { groupKeys } from './query-keys';

/** `GET /groups/{id}`: one group with its members. */
export function getGroup(id: string, signal?: AbortSignal): Promise<GroupDetail> {
  return api.call(groupRoutes.get, { params: { id }, signal });
}

export function useGroup(id: string) {
  return useQuery({ queryKey: groupKeys.detail(id), queryFn: ({ signal }) => getGroup(id, signal), staleTime: 0 });
}
