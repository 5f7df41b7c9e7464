import { userRoutes } from '@passman/contracts';
import type { User } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { searchQueryOf } from '@/lib/search-text';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { userKeys, type UserListParams } from './query-keys';

export type { UserListParams } from './query-keys';

/** `GET /users?q=&limit=&cursor=`: one page of users by username (users.manage). */
export function getUsers(params: UserListParams, signal?: AbortSignal): Promise<Page<User>> {
  return api.call(userRoutes.list, { query: { ...params, cursor: params.cursor ?? undefined }, signal });
}

/** `enabled: false` where the signed-in user may not list users (only administrators may). */
export function useUsers(params: UserListParams, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: userKeys.list(params), queryFn: ({ signal }) => getUsers(params, signal), placeholderData: keepPreviousData, enabled });
}

/** The most users a picker offers for one text: to reach others, one types more of the name. */
export const USER_CHOICES = 20;

/**
 * A picker's users: those whose username or display name contains `text`, the first
 * USER_CHOICES by username, asked when typing pauses (one request per pause, cached per text).
 */
export function useUserChoices(text: string, { enabled = true }: { enabled?: boolean } = {}) {
  const typed = searchQueryOf(text);
  const q = useDebouncedValue(typed, 250);
  const query = useUsers({ q: q || undefined, limit: USER_CHOICES }, { enabled });
  return {
    users: query.data?.items,
    /** More users match than are offered. */
    more: Boolean(query.data?.nextCursor),
    /** The choices may be for an earlier text: typing has not paused yet, or the answer is on its way. */
    searching: enabled && (q !== typed || query.isFetching),
    error: query.error,
  };
}
