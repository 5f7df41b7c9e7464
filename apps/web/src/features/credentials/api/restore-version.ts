import { historyRoutes } from '@passman/contracts';
import type { RestoreRequest, RestoreResponse } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { credentialKeys } from './query-keys';

export type RestoreInput = RestoreRequest & { credentialId: string; version: number };

/** `POST /credentials/{id}/versions/{version}/restore`: vault only (a new current version) or on the target (a reset job). */
export function restoreVersion({ credentialId, version, ...body }: RestoreInput): Promise<RestoreResponse> {
  return api.call(historyRoutes.restore, { params: { id: credentialId, version }, body });
}

export function useRestoreVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreVersion,
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: credentialKeys.all }), queryClient.invalidateQueries({ queryKey: accountKeys.all })]),
  });
}
