import type { AccountJobKind, JobState } from '@passman/contracts';

export interface JobListQuery {
  accountId?: string | undefined;
  batchId?: string | undefined;
  state?: JobState | undefined;
  kind?: AccountJobKind | undefined;
  since?: string | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** Every query key of jobs: invalidate a branch (`all`, `lists()`) to refetch what is under it. */
export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => [...jobKeys.all, 'list'] as const,
  list: (query: JobListQuery) => [...jobKeys.lists(), query] as const,
  detail: (id: string) => [...jobKeys.all, 'detail', id] as const,
};

/** A batch's progress (a batch is a group of jobs). */
export const batchKeys = {
  all: ['batches'] as const,
  detail: (id: string) => [...batchKeys.all, id] as const,
};
