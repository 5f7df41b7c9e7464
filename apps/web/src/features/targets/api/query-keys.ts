import type { TargetSort } from '@passman/contracts';

export interface TargetListParams {
  /** Only the targets in this folder and below it. */
  folderId?: string | undefined;
  q?: string | undefined;
  hostKeyPending?: 'true' | undefined;
  sort?: TargetSort | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** Every query key of targets: invalidate a branch (`all`, `lists()`) to refetch what is under it. */
export const targetKeys = {
  all: ['targets'] as const,
  lists: () => [...targetKeys.all, 'list'] as const,
  list: (params: TargetListParams) => [...targetKeys.lists(), params] as const,
  detail: (id: string) => [...targetKeys.all, 'detail', id] as const,
};
