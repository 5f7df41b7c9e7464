import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical-json.js';

/** The hash of the row before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

/** How a row's hash is made: 0 = unkeyed SHA-256 (rows from before the chain was keyed), 1 = HMAC-SHA256 under the chain key. */
export const UNKEYED_MAC = 0;
export const CHAIN_MAC = 1;

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

/** A point of the chain: the head, or a checkpoint (a copy of the head at some moment). */
export interface ChainPoint {
  /** seq of the newest event (0 before the first). */
  seq: bigint;
  /** How many events the chain holds up to and including `seq`. */
  count: bigint;
  /** hash of the event at `seq` (GENESIS_HASH before the first). */
  hash: string;
  at: Date;
}

function content(event: HashedFields): string {
  return canonicalJson({
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
}

/** The unkeyed hash of rows written before the chain was keyed: SHA-256 over the previous hash and this event's content. */
export function auditHash(prevHash: string, event: HashedFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(content(event)).digest('hex');
}

/** The keyed hash: HMAC-SHA256 under the chain key over the previous hash and this event's content, canonically encoded. */
export function auditMac(chainKey: Buffer, prevHash: string, event: HashedFields): string {
  return createHmac('sha256', chainKey).update(prevHash).update('\n').update(content(event)).digest('hex');
}

/** The MAC of a chain point under the checkpoint key; the head and its checkpoints carry it. */
export function chainPointMac(checkpointKey: Buffer, point: ChainPoint): string {
  const signed = canonicalJson({
    kind: 'passman.audit.head',
    seq: point.seq.toString(),
    count: point.count.toString(),
    hash: point.hash,
    at: point.at.toISOString(),
  });
  return createHmac('sha256', checkpointKey).update(signed).digest('hex');
}

/** The event PassMan appends when it finds the head of the trail deleted and starts a new one. */
export const HEAD_REBUILT_ACTION = 'audit.head_rebuilt';
