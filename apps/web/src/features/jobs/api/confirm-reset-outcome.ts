import { resetOutcomeRoutes } from '@passman/contracts';
import type { ConfirmResetOutcomeRequest, ConfirmResetOutcomeResponse } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { invalidateAfterJob } from './invalidate';

/** `POST /jobs/{id}/confirm-outcome`: say which secret the target holds after a reset whose outcome is unknown. */
export function confirmResetOutcome({ jobId, ...body }: ConfirmResetOutcomeRequest & { jobId: string }): Promise<ConfirmResetOutcomeResponse> {
  return api.call(resetOutcomeRoutes.confirm, { params: { id: jobId }, body });
}

export function useConfirmResetOutcome() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: confirmResetOutcome, onSuccess: () => invalidateAfterJob(queryClient) });
}
