import type { RoleName, User } from '@passman/contracts';
import type { UserListRow } from './users.repo.js';

export function presentUser(row: UserListRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.roleName as RoleName,
    disabled: row.disabledAt !== null,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
