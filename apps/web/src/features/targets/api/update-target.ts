import { targetRoutes } from '@passman/contracts';
import type { Target, UpdateTargetRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { folderKeys } from '@/features/folders/api/query-keys';
import { targetKeys } from './query-keys';

/** `PATCH /targets/{id}`; with `folderId`, a move to that folder (its accounts go with it). */
export function updateTarget({ id, ...changes }: UpdateTargetRequest & { id: string }): Promise<Target> {
  return api.call(targetRoutes.update, { params: { id }, body: changes });
}

export function useUpdateTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTarget,
    onSuccess: (target) => {
      queryClient.setQueryData(targetKeys.detail(target.id), target);
      // Account rows show the target's name; a move changes the folders' counts and the rights the rows carry.
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: targetKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
        queryClient.invalidateQueries({ queryKey: folderKeys.all }),
      ]);
    },
  });
}
