import type { Permission } from '@passman/contracts';
import { useMe } from './api/get-me';

/** True when the signed-in user's role grants `permission` (the API checks again). */
export function useCan(): (permission: Permission) => boolean {
  const { data } = useMe();
  const granted = new Set<string>(data?.user.permissions ?? []);
  return (permission) => granted.has(permission);
}
