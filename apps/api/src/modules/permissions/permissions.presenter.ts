import type { Grant } from '@passman/contracts';
import type { GrantRow } from './permissions.repo.js';

export function presentGrant(row: GrantRow): Grant {
  return {
    id: row.id,
    object: { type: row.objectType, id: row.objectId, name: row.objectName },
    principal: { type: row.principalType, id: row.principalId, name: row.principalName },
    action: row.action,
    effect: row.effect,
    createdAt: row.createdAt.toISOString(),
  };
}
