import type { VaultAction, VaultObjectType } from '@passman/contracts';
import { useCan } from '@/features/auth/use-permission';
import { useGroups } from '@/features/groups/api/get-groups';
import { PermissionsPanel } from '@/features/permissions/components/permissions-panel';
import { useUsers } from '@/features/users/api/get-users';

export interface PermissionsTabProps {
  object: { type: VaultObjectType; id: string; name: string };
  /** The signed-in user's rights on the object: editing needs manage_permissions. */
  myRights: readonly VaultAction[];
}

/**
 * The Permissions tab of a details window, with whom a grant may name: groups, and users for
 * those who may list them (administrators). Loaded on demand (see `lazy-permissions-tab.tsx`).
 */
export function PermissionsTab({ object, myRights }: PermissionsTabProps) {
  const can = useCan();
  const canEdit = myRights.includes('manage_permissions');
  const listUsers = canEdit && can('users.manage');
  const groups = useGroups({}, { enabled: canEdit });
  // The first 200 users by name: GET /users has no search by name to narrow a longer list.
  const users = useUsers({ limit: 200 }, { enabled: listUsers });
  const principals = canEdit
    ? {
        groups: groups.data?.items.map((g) => ({ id: g.id, name: g.name })) ?? [],
        users: listUsers ? (users.data?.items.map((u) => ({ id: u.id, name: u.username })) ?? []) : undefined,
      }
    : undefined;
  return <PermissionsPanel object={object} canEdit={canEdit} principals={principals} />;
}
