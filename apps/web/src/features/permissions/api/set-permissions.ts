import { permissionRoutes } from '@passman/contracts';
import type { GrantInput, PermissionList, VaultObjectType } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { folderKeys } from '@/features/folders/api/query-keys';
import { targetKeys } from '@/features/targets/api/query-keys';
import { permissionKeys } from './query-keys';

export interface SetPermissionsInput {
  type: VaultObjectType;
  id: string;
  /** Every direct grant the object keeps: the ones left out are revoked. */
  grants: GrantInput[];
  /** The version of the grants the change was made on: if someone has changed them since, the server refuses (EDIT_CONFLICT). */
  expectedVersion: string;
}

/** `PUT /{folders|targets|accounts}/{id}/permissions` (needs manage_permissions on the object). */
export function setPermissions({ type, id, grants, expectedVersion }: SetPermissionsInput): Promise<PermissionList> {
  return api.call(permissionRoutes[type].set, { params: { id }, body: { grants, expectedVersion } });
}

export function useSetPermissions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setPermissions,
    onError: (error, { type, id }) => {
      // Someone else changed the grants meanwhile: show what is there now, to make the change on.
      if (isApiError(error) && error.code === 'EDIT_CONFLICT') return queryClient.invalidateQueries({ queryKey: permissionKeys.direct(type, id) });
      return undefined;
    },
    onSuccess: (list, { type, id }) => {
      queryClient.setQueryData(permissionKeys.direct(type, id), list);
      // What is inherited below the object changes, and so may the signed-in user's own rights, which every row carries.
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: permissionKeys.all }),
        queryClient.invalidateQueries({ queryKey: folderKeys.all }),
        queryClient.invalidateQueries({ queryKey: targetKeys.all }),
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
      ]);
    },
  });
}
