import type { Policy, UpdatePolicyRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** `PATCH /policies/{id}`. */
export function updatePolicy({ id, ...changes }: UpdatePolicyRequest & { id: string }): Promise<Policy> {
  return api.patch<Policy>(`/policies/${encodeURIComponent(id)}`, changes);
}

export function useUpdatePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updatePolicy,
    // Compliance of accounts may follow a policy change.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['policies'] }), queryClient.invalidateQueries({ queryKey: ['accounts'] })]),
  });
}
