import type { Target } from '@passman/contracts';
import type { TargetRow } from './targets.repo.js';

export function presentTarget(row: TargetRow): Target {
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
      status: k.status,
      firstSeenAt: k.firstSeenAt.toISOString(),
      approvedAt: k.approvedAt?.toISOString() ?? null,
      seenAt: k.seenAddress !== null && k.seenPort !== null && k.lastSeenAt ? { address: k.seenAddress, port: k.seenPort, lastSeenAt: k.lastSeenAt.toISOString() } : null,
    })),
    accountCount: row.accountCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
