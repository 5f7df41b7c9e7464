import type { Target, UpdateTargetRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetQueryKey } from './get-target';

/** `PATCH /targets/{id}`. */
export function updateTarget({ id, ...changes }: UpdateTargetRequest & { id: string }): Promise<Target> {
  return api.patch<Target>(`/targets/${encodeURIComponent(id)}`, changes);
}

export function useUpdateTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTarget,
    onSuccess: (target) => {
      queryClient.setQueryData(targetQueryKey(target.id), target);
      // Account rows show the target's name.
      return Promise.all([queryClient.invalidateQueries({ queryKey: ['targets', 'list'] }), queryClient.invalidateQueries({ queryKey: ['accounts'] })]);
    },
  });
}
