import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical-json.js';

/** The hash of the row before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedFields {
  at: Date;
  actorId: string | null;
  actorName: string;
  action: string;
  objectType: string;
  objectId: string | null;
  outcome: string;
  requestId: string | null;
  ip: string | null;
  details: unknown;
}

/** SHA-256 over the previous hash and this event's content, canonically encoded. */
export function auditHash(prevHash: string, event: HashedFields): string {
  const content = canonicalJson({
    at: event.at.toISOString(),
    actorId: event.actorId,
    actorName: event.actorName,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    outcome: event.outcome,
    requestId: event.requestId,
    ip: event.ip,
    details: event.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}
