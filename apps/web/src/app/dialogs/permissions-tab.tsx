import type { VaultAction, VaultObjectType } from '@passman/contracts';
import { useState } from 'react';
import { useCan } from '@/features/auth/use-permission';
import { useGroupChoices } from '@/features/groups/api/get-groups';
import { PermissionsPanel } from '@/features/permissions/components/permissions-panel';
import { useUserChoices } from '@/features/users/api/get-users';

export interface PermissionsTabProps {
  object: { type: VaultObjectType; id: string; name: string };
  /** The signed-in user's rights on the object: editing needs manage_permissions. */
  myRights: readonly VaultAction[];
}

/**
 * The Permissions tab of a details window, with whom a grant may name, found by what is typed:
 * groups, and users for those who may list them (administrators). Loaded on demand (see
 * `lazy-permissions-tab.tsx`).
 */
export function PermissionsTab({ object, myRights }: PermissionsTabProps) {
  const can = useCan();
  const canEdit = myRights.includes('manage_permissions');
  const listUsers = canEdit && can('users.manage');
  const [text, setText] = useState('');
  const groups = useGroupChoices(text, { enabled: canEdit });
  const users = useUserChoices(text, { enabled: listUsers });
  const principals = canEdit
    ? {
        text,
        onTextChange: setText,
        groups: groups.groups?.map((g) => ({ id: g.id, name: g.name })) ?? [],
        users: listUsers
          ? (users.users?.map((u) => ({ id: u.id, name: u.username, detail: u.displayName === u.username ? undefined : u.displayName })) ?? [])
          : undefined,
        more: groups.more || (listUsers && users.more),
        searching: groups.searching || users.searching,
        error: groups.error ?? (listUsers ? users.error : null),
      }
    : undefined;
  return <PermissionsPanel object={object} canEdit={canEdit} principals={principals} />;
}
