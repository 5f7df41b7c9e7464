export interface UserListParams {
  limit?: number | undefined;
  cursor?: string | null | undefined;
  /** A substring of the username or display name (any case). */
  q?: string | undefined;
}

/** Every query key of users: invalidate a branch (`all`, `lists()`) to refetch what is under it. */
export const userKeys = {
  all: ['users'] as const,
  lists: () => [...userKeys.all, 'list'] as const,
  list: (params: UserListParams) => [...userKeys.lists(), params] as const,
  sessions: (userId: string) => [...userKeys.all, userId, 'sessions'] as const,
  tokens: (userId: string) => [...userKeys.all, userId, 'tokens'] as const,
};
