import { userRoutes } from '@passman/contracts';
import type { User } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { userKeys, type UserListParams } from './query-keys';

export type { UserListParams } from './query-keys';

/** `GET /users?limit=&cursor=`: one page of users by username (users.manage). */
export function getUsers(params: UserListParams, signal?: AbortSignal): Promise<Page<User>> {
  return api.call(userRoutes.list, { query: { ...params, cursor: params.cursor ?? undefined }, signal });
}

/** `enabled: false` where the signed-in user may not list users (only administrators may). */
export function useUsers(params: UserListParams, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: userKeys.list(params), queryFn: ({ signal }) => getUsers(params, signal), placeholderData: keepPreviousData, enabled });
}
