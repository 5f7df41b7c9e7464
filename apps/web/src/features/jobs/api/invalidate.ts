import type { QueryClient } from '@tanstack/react-query';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { auditKeys } from '@/features/audit/api/query-keys';
import { credentialKeys } from '@/features/credentials/api/query-keys';
import { jobKeys } from './query-keys';

/** After a job or batch ends, what it may have changed: statuses, credentials, the trail. */
export function invalidateAfterJob(queryClient: QueryClient): Promise<unknown> {
  return Promise.all([accountKeys.all, credentialKeys.all, jobKeys.lists(), auditKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
