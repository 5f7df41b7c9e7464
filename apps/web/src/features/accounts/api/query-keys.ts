import type { AccountListParams } from './get-accounts';

/** Every query key of accounts: invalidate a branch (`all`, `lists()`) to refetch what is under it. */
export const accountKeys = {
  all: ['accounts'] as const,
  lists: () => [...accountKeys.all, 'list'] as const,
  list: (params: AccountListParams) => [...accountKeys.lists(), params] as const,
  detail: (id: string) => [...accountKeys.all, 'detail', id] as const,
};
