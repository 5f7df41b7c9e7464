import { groupRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { permissionKeys } from '@/features/permissions/api/query-keys';
import { groupKeys } from './query-keys';

/** `PUT /groups/{id}/members/{userId}` (no change when they are in it already). */
export function addGroupMember({ groupId, userId }: { groupId: string; userId: string }): Promise<void> {
  return api.call(groupRoutes.addMember, { params: { id: groupId, userId } });
}

/** `DELETE /groups/{id}/members/{userId}`. */
export function removeGroupMember({ groupId, userId }: { groupId: string; userId: string }): Promise<void> {
  return api.call(groupRoutes.removeMember, { params: { id: groupId, userId } });
}

function useMembership(mutationFn: typeof addGroupMember) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    // A membership changes the member count and whom the group's grants reach.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: groupKeys.all }), queryClient.invalidateQueries({ queryKey: permissionKeys.all })]),
  });
}

export const useAddGroupMember = () => useMembership(addGroupMember);
export const useRemoveGroupMember = () => useMembership(removeGroupMember);
