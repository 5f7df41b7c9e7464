import type { Account, VaultAction } from '@passman/contracts';
import type { AccountRow } from './accounts.repo.js';

export function presentAccount(row: AccountRow, myRights: VaultAction[]): Account {
  return {
    id: row.id,
    targetId: row.targetId,
    target: { id: row.targetId, name: row.targetName, address: row.targetAddress },
    folderId: row.folderId,
    username: row.username,
    description: row.description,
    status: row.status,
    statusReason: row.statusReason,
    lastCheckedAt: row.lastCheckedAt,
    lastChangedAt: row.lastChangedAt,
    policyId: row.policyId,
    policy: row.policyId && row.policyName !== null ? { id: row.policyId, name: row.policyName } : null,
    compliance: row.compliance,
    isManagingAccount: row.isManagingAccount,
    checkout: row.checkedOutById && row.checkedOutAt ? { userId: row.checkedOutById, checkedOutAt: row.checkedOutAt, expiresAt: row.checkoutExpiresAt } : null,
    myRights,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
