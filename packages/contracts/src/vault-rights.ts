import type { Permission, RoleName } from './permissions.js';

/**
 * The rights a grant gives on a node of the vault tree (a folder, a target or an account), and how
 * they combine. Zod-free: the API, its tests' reference model and the console read the same rule.
 */
export const VAULT_ACTIONS = ['view', 'checkout', 'check', 'reset', 'update', 'manage', 'manage_permissions', 'approve'] as const;
export type VaultAction = (typeof VAULT_ACTIONS)[number];

export const GRANT_EFFECTS = ['ALLOW', 'DENY'] as const;
export type GrantEffect = (typeof GRANT_EFFECTS)[number];

export const VAULT_OBJECT_TYPES = ['folder', 'target', 'account'] as const;
export type VaultObjectType = (typeof VAULT_OBJECT_TYPES)[number];

export const PRINCIPAL_TYPES = ['user', 'group'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/**
 * The role permission each right also needs: a grant never lifts a user above their global role
 * (an auditor granted `checkout` still cannot check out), and an API token's scopes narrow both.
 */
export function rolePermissionFor(action: VaultAction, objectType: VaultObjectType): Permission {
  switch (action) {
    case 'view':
      return objectType === 'account' ? 'accounts.view' : 'targets.view';
    case 'checkout':
      return 'credentials.checkout';
    case 'check':
      return 'credentials.check';
    case 'reset':
      return 'credentials.reset';
    case 'update':
      return 'credentials.update';
    case 'manage':
      return objectType === 'account' ? 'accounts.manage' : 'targets.manage';
    case 'manage_permissions':
      return 'permissions.manage';
    case 'approve':
      return 'approvals.approve';
  }
}

/**
 * Whether the grants reaching one principal set for one action allow it: any DENY on the object
 * or an ancestor wins, else any ALLOW allows, else it is denied. The database applies the same
 * rule in SQL (apps/api/src/modules/access/access.repo.ts); this form serves the reference model.
 */
export function grantsAllow(effects: Iterable<GrantEffect>): boolean {
  let allowed = false;
  for (const effect of effects) {
    if (effect === 'DENY') return false;
    allowed = true;
  }
  return allowed;
}

/**
 * Roles whose rights in the tree do not come from grants: an administrator may do everything on
 * every object; an auditor sees every object's metadata (never a secret: the role has no
 * permission that reveals one).
 */
export const ROLE_TREE_RIGHTS: Partial<Record<RoleName, readonly VaultAction[]>> = {
  admin: VAULT_ACTIONS,
  auditor: ['view'],
};
