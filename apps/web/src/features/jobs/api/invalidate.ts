import type { QueryClient } from '@tanstack/react-query';

/** After a job or batch ends, what it may have changed: statuses, credentials, the trail. */
export function invalidateAfterJob(queryClient: QueryClient): Promise<unknown> {
  return Promise.all(
    [['accounts'], ['credentials'], ['jobs', 'list'], ['audit']].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}
