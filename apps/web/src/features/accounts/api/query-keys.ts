import type { AccountSort, AccountStatus } from '@passman/contracts';

export interface AccountListParams {
  /** Only this target's accounts, through `GET /targets/{id}/accounts` (the Accounts pop-up). */
  targetId?: string | undefined;
  /** With `GET /accounts`: filter by target without the pop-up's endpoint. */
  filterTargetId?: string | undefined;
  /** With `GET /accounts`: only the accounts of targets in this folder and below it. */
  folderId?: string | undefined;
  q?: string | undefined;
  status?: AccountStatus | undefined;
  compliance?: 'Compliant' | 'Noncompliant' | undefined;
  checkedOut?: 'true' | undefined;
  rotationOverdue?: 'true' | undefined;
  sort?: AccountSort | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** Every query key of accounts: invalidate a branch (`all`, `lists()`) to refetch what is under it. */
export const accountKeys = {
  all: ['accounts'] as const,
  lists: () => [...accountKeys.all, 'list'] as const,
  list: (params: AccountListParams) => [...accountKeys.lists(), params] as const,
  detail: (id: string) => [...accountKeys.all, 'detail', id] as const,
};
