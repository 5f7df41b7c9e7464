import { groupRoutes } from '@passman/contracts';
import type { GroupDetail, UpdateGroupRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { permissionKeys } from '@/features/permissions/api/query-keys';
import { groupKeys } from './query-keys';

/** `PATCH /groups/{id}`: a new name or description. */
export function updateGroup({ id, ...changes }: UpdateGroupRequest & { id: string }): Promise<GroupDetail> {
  return api.call(groupRoutes.update, { params: { id }, body: changes });
}

export function useUpdateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateGroup,
    onSuccess: (group) => {
      queryClient.setQueryData(groupKeys.detail(group.id), group);
      // Grants name the group.
      return Promise.all([queryClient.invalidateQueries({ queryKey: groupKeys.lists() }), queryClient.invalidateQueries({ queryKey: permissionKeys.all })]);
    },
  });
}
