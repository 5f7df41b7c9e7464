import type { AuditEvent, AuditOutcome } from '@passman/contracts';
import type { AuditRow } from './audit.repo.js';

export function presentAuditEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    outcome: row.outcome as AuditOutcome,
    requestId: row.requestId,
    ip: row.ip,
    details: (row.details ?? {}) as Record<string, unknown>,
    hash: row.hash,
  };
}
