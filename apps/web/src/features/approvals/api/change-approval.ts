import { approvalRoutes } from '@passman/contracts';
import type { Approval, CreateApprovalRequest, DecideApprovalRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { approvalKeys } from './query-keys';

/** `POST /approvals`: ask for approval of a checkout or reset. */
export function requestApproval(input: CreateApprovalRequest): Promise<Approval> {
  return api.call(approvalRoutes.create, { body: input });
}

/** `POST /approvals/{id}/approve|deny`, or `/cancel` (the requester's own). */
export function changeApproval({ id, change, ...body }: DecideApprovalRequest & { id: string; change: 'approve' | 'deny' | 'cancel' }): Promise<Approval> {
  if (change === 'cancel') return api.call(approvalRoutes.cancel, { params: { id } });
  return api.call(change === 'approve' ? approvalRoutes.approve : approvalRoutes.deny, { params: { id }, body });
}

function useInvalidating<I>(fn: (input: I) => Promise<Approval>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => queryClient.invalidateQueries({ queryKey: approvalKeys.all }) });
}

export const useRequestApproval = () => useInvalidating(requestApproval);
export const useChangeApproval = () => useInvalidating(changeApproval);
