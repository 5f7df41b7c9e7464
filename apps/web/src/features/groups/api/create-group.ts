import { groupRoutes } from '@passman/contracts';
import type { CreateGroupRequest, GroupDetail } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { groupKeys } from './query-keys';

/** `POST /groups`. */
export function createGroup(input: Pick<CreateGroupRequest, 'name'> & Partial<CreateGroupRequest>): Promise<GroupDetail> {
  return api.call(groupRoutes.create, { body: input });
}

export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createGroup,
    onSuccess: (group) => {
      queryClient.setQueryData(groupKeys.detail(group.id), group);
      return queryClient.invalidateQueries({ queryKey: groupKeys.lists() });
    },
  });
}
