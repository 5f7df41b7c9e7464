import type { CreateTargetRequest, Target } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetQueryKey } from './get-target';

export type CreateTargetInput = Pick<CreateTargetRequest, 'name' | 'address'> & Partial<CreateTargetRequest>;

/** `POST /targets`. */
export function createTarget(input: CreateTargetInput): Promise<Target> {
  return api.post<Target>('/targets', input);
}

export function useCreateTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTarget,
    onSuccess: (target) => {
      queryClient.setQueryData(targetQueryKey(target.id), target);
      return queryClient.invalidateQueries({ queryKey: ['targets', 'list'] });
    },
  });
}
