import type { GroupListQuery } from '@passman/contracts';

export type GroupListParams = Partial<GroupListQuery>;

/** Every query key of user groups: invalidate `all` after any change (counts, names and members show in several places). */
export const groupKeys = {
  all: ['groups'] as const,
  lists: () => [...groupKeys.all, 'list'] as const,
  list: (params: GroupListParams) => [...groupKeys.lists(), params] as const,
  detail: (id: string) => [...groupKeys.all, 'detail', id] as const,
};
