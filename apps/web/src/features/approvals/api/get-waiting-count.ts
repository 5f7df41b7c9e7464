import { approvalRoutes } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { WAITING_POLL_MS } from './get-approvals';
import { approvalKeys } from './query-keys';

/** `GET /approvals/waiting-count`: how many requests wait for the user's decision (the navigation's badge), polled. */
export function useWaitingCount({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: approvalKeys.waitingCount(),
    queryFn: ({ signal }) => api.call(approvalRoutes.waitingCount, { signal }),
    enabled,
    refetchInterval: WAITING_POLL_MS,
  });
}
