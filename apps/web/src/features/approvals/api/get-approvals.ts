import { approvalRoutes } from '@passman/contracts';
import type { ApprovalPage } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { approvalKeys, type ApprovalListParams } from './query-keys';

/** `GET /approvals?view=mine|to-approve`: the user's own requests, or those waiting for their decision. */
export function getApprovals(params: ApprovalListParams, signal?: AbortSignal): Promise<ApprovalPage> {
  return api.call(approvalRoutes.list, { query: params, signal });
}

export function useApprovals(params: ApprovalListParams, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: approvalKeys.list(params),
    queryFn: ({ signal }) => getApprovals(params, signal),
    placeholderData: keepPreviousData,
    enabled,
    // Others decide and request meanwhile: the page follows without a reload.
    refetchInterval: WAITING_POLL_MS,
  });
}

/** How often the console asks for what waits for the user's decision. */
export const WAITING_POLL_MS = 30_000;
