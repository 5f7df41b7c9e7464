import type { Target, VaultAction } from '@passman/contracts';
import type { HostKeyTrust } from '../host-keys/host-key-trust.js';
import type { TargetRow } from './targets.repo.js';

/**
 * An APPROVED key is shown as approved only when its signed approval holds for the target's
 * address and port, as a job would judge it; otherwise it is pending (someone must approve it).
 */
export function presentTarget(row: TargetRow, trust: HostKeyTrust, myRights: VaultAction[]): Target {
  const trusted = (k: TargetRow['hostKeys'][number]) =>
    trust.verifies({ targetId: row.id, fingerprint: k.fingerprint, address: row.address, port: row.port }, k.approvalMac);
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    port: row.port,
    connectorKind: row.connectorKind,
    description: row.description,
    tags: row.tags,
    managingAccountId: row.managingAccountId,
    managingAccount: row.managingAccountId && row.managingUsername !== null ? { id: row.managingAccountId, username: row.managingUsername } : null,
    hostKeys: row.hostKeys.map((k) => ({
      id: k.id,
      algorithm: k.algorithm,
      fingerprint: k.fingerprint,
      status: k.status === 'APPROVED' && !trusted(k) ? 'PENDING' : k.status,
      firstSeenAt: k.firstSeenAt.toISOString(),
      approvedAt: k.approvedAt?.toISOString() ?? null,
      seenAt:
        k.seenAddress !== null && k.seenPort !== null && k.lastSeenAt
          ? { address: k.seenAddress, port: k.seenPort, lastSeenAt: k.lastSeenAt.toISOString() }
          : null,
    })),
    accountCount: row.accountCount,
    folderId: row.folderId,
    myRights,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
