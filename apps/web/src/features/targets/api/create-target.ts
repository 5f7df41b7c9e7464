import { targetRoutes } from '@passman/contracts';
import type { CreateTargetRequest, Target } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { folderKeys } from '@/features/folders/api/query-keys';
import { targetKeys } from './query-keys';

export type CreateTargetInput = Pick<CreateTargetRequest, 'name' | 'address'> & Partial<CreateTargetRequest>;

/** `POST /targets`. */
export function createTarget(input: CreateTargetInput): Promise<Target> {
  return api.call(targetRoutes.create, { body: input });
}

export function useCreateTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTarget,
    onSuccess: (target) => {
      queryClient.setQueryData(targetKeys.detail(target.id), target);
      // The tree counts the targets of each folder.
      return Promise.all([queryClient.invalidateQueries({ queryKey: targetKeys.lists() }), queryClient.invalidateQueries({ queryKey: folderKeys.all })]);
    },
  });
}
