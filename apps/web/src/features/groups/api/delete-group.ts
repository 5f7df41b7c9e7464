import { groupRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { permissionKeys } from '@/features/permissions/api/query-keys';
import { groupKeys } from './query-keys';

/** `DELETE /groups/{id}`: the group and every grant made to it. */
export function deleteGroup(id: string): Promise<void> {
  return api.call(groupRoutes.delete, { params: { id } });
}

export function useDeleteGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteGroup,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: groupKeys.all }), queryClient.invalidateQueries({ queryKey: permissionKeys.all })]),
  });
}
