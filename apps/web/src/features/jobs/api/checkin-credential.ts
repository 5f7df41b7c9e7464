import { jobRoutes } from '@passman/contracts';
import type { Job } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';

export interface CheckinResult {
  /** The reset the policy asks for after check-in, if any. */
  resetJob: Job | null;
}

/** `POST /accounts/{id}/checkin`: return a checked-out account. */
export function checkinCredential(accountId: string): Promise<CheckinResult> {
  return api.call(jobRoutes.checkin, { params: { id: accountId } });
}

export function useCheckinCredential() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: checkinCredential, onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }) });
}
