import { permissionRoutes } from '@passman/contracts';
import type { EffectivePermissions, VaultObjectType } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { permissionKeys } from './query-keys';

/** `GET /{folders|targets|accounts}/{id}/permissions/effective`: each principal's rights on the object, with the grants they come from. */
export function getEffectivePermissions(type: VaultObjectType, id: string, signal?: AbortSignal): Promise<EffectivePermissions> {
  return api.call(permissionRoutes[type].effective, { params: { id }, signal });
}

export function useEffectivePermissions(type: VaultObjectType, id: string) {
  return useQuery({ queryKey: permissionKeys.effective(type, id), queryFn: ({ signal }) => getEffectivePermissions(type, id, signal), staleTime: 0 });
}
