import type { AuditStreamDestination } from '@passman/contracts';
import type { DestinationBacklog } from './audit-stream.repo.js';
import type { StreamDestination } from './audit-stream.sender.js';

/** A configured destination and its cursor (null: no worker has started sending to it yet). */
export function presentStreamDestination(
  destination: Pick<StreamDestination, 'name' | 'kind' | 'target'>,
  row: DestinationBacklog | null,
): AuditStreamDestination {
  return {
    name: destination.name,
    kind: destination.kind,
    target: destination.target,
    started: row !== null,
    backlog: row?.backlog ?? null,
    deliveredSeq: row ? row.deliveredSeq.toString() : null,
    deliveredAt: row?.deliveredAt?.toISOString() ?? null,
    failures: row?.failures ?? 0,
    lastError: row?.lastError ?? null,
  };
}
