import type { User } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';

export interface UserListParams {
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** `GET /users?limit=&cursor=`: one page of users by username (users.manage). */
export function getUsers(params: UserListParams, signal?: AbortSignal): Promise<Page<User>> {
  return api.get<Page<User>>('/users', { query: { ...params }, signal });
}

export function useUsers(params: UserListParams) {
  return useQuery({ queryKey: ['users', 'list', params], queryFn: ({ signal }) => getUsers(params, signal), placeholderData: keepPreviousData });
}
