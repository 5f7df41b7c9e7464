import { groupRoutes } from '@passman/contracts';
import type { Group } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { searchQueryOf } from '@/lib/search-text';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { groupKeys, type GroupListParams } from './query-keys';

/** `GET /groups?q=&userId=`: user groups by name. */
export function getGroups(params: GroupListParams, signal?: AbortSignal): Promise<{ items: Group[] }> {
  return api.call(groupRoutes.list, { query: params, signal });
}

export function useGroups(params: GroupListParams = {}, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: groupKeys.list(params), queryFn: ({ signal }) => getGroups(params, signal), placeholderData: keepPreviousData, enabled });
}

/** The most groups a picker offers for one text: to reach others, one types more of the name. */
export const GROUP_CHOICES = 20;

/**
 * A picker's groups: those whose name contains `text`, the first GROUP_CHOICES by name, asked
 * when typing pauses (one request per pause, cached per text).
 */
export function useGroupChoices(text: string, { enabled = true }: { enabled?: boolean } = {}) {
  const typed = searchQueryOf(text);
  const q = useDebouncedValue(typed, 250);
  const query = useGroups({ q: q || undefined }, { enabled });
  const items = query.data?.items;
  return {
    groups: items?.slice(0, GROUP_CHOICES),
    /** More groups match than are offered. */
    more: (items?.length ?? 0) > GROUP_CHOICES,
    /** The choices may be for an earlier text: typing has not paused yet, or the answer is on its way. */
    searching: enabled && (q !== typed || query.isFetching),
    error: query.error,
  };
}
