import type { JobListQuery } from './get-jobs';

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
