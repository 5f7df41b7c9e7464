import { permissionRoutes } from '@passman/contracts';
import type { PermissionList, VaultObjectType } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { permissionKeys } from './query-keys';

/** `GET /{folders|targets|accounts}/{id}/permissions`: the grants made directly on the object. */
export function getPermissions(type: VaultObjectType, id: string, signal?: AbortSignal): Promise<PermissionList> {
  return api.call(permissionRoutes[type].get, { params: { id }, signal });
}

export function usePermissions(type: VaultObjectType, id: string) {
  return useQuery({ queryKey: permissionKeys.direct(type, id), queryFn: ({ signal }) => getPermissions(type, id, signal), staleTime: 0 });
}
