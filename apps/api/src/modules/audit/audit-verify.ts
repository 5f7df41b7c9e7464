import type { AuditVerifyResult } from '@passman/contracts';
import type { AuditKeys } from './audit-key.js';
import { auditHash, auditMac, CHAIN_MAC, chainPointMac, GENESIS_HASH, HEAD_REBUILT_ACTION, UNKEYED_MAC } from './audit-hash.js';
import type { AuditQueries, StoredChainPoint } from './audit.repo.js';
import { safeEqual } from '../../lib/safe-equal.js';

type Problem = AuditVerifyResult['problems'][number];

const BATCH = 1000;

const presentPoint = (p: StoredChainPoint) => ({ seq: p.seq.toString(), count: Number(p.count), hash: p.hash, at: p.at.toISOString() });

/**
 * Walks the whole chain and compares it with the head and the checkpoints. Every row must link to
 * the one before (`broken-link`: a row deleted, inserted or moved before it) and match its own
 * MAC (`edited`: changed, or forged without the chain key); unkeyed rows are accepted only
 * before the first keyed one (`unkeyed-after-keyed`: a row forged with plain SHA-256). The head
 * and each checkpoint must carry a valid MAC (`head-forged`, `checkpoint-forged`; `head-missing`)
 * and match the rows: the event at its seq, with its hash, as the count-th event
 * (`head-mismatch`, `checkpoint-mismatch`: newest events deleted, the trail truncated, the head
 * rolled back behind a checkpoint); `head-rebuilt`: PassMan found the head deleted and started
 * a new one (its event stays in the keyed chain). `firstBrokenSeq` names the first row that fails, or where
 * rows are missing, the first seq after the last one that holds.
 */
export async function verifyChain(repo: AuditQueries, keys: AuditKeys): Promise<AuditVerifyResult> {
  // Read in this order while appends go on: each read is at least as new as the one before, so
  // no checkpoint is ahead of the head, and no row up to the head is missing, unless tampered with.
  const storedCheckpoints = await repo.checkpoints();
  const head = await repo.readHead();

  const problems: Problem[] = [];
  let firstBroken: bigint | null = null;
  const report = (seq: bigint, kind: Problem['kind'], detail: string, brokenAt: bigint | null = seq) => {
    problems.push({ seq: seq.toString(), kind, detail });
    if (brokenAt !== null && (firstBroken === null || brokenAt < firstBroken)) firstBroken = brokenAt;
  };

  const validHead = head && safeEqual(head.mac, chainPointMac(keys.checkpointKey, head)) ? head : null;
  if (!head) report(0n, 'head-missing', 'The chain has no head: it was deleted', null);
  else if (!validHead) report(head.seq, 'head-forged', 'The head does not carry a valid MAC: it was written without the key', null);

  // The points to compare rows with, by seq: valid checkpoints, and the head.
  const points: { point: StoredChainPoint; what: 'head' | 'checkpoint' }[] = [];
  let newestCheckpoint: StoredChainPoint | null = null;
  for (const cp of storedCheckpoints) {
    if (!safeEqual(cp.mac, chainPointMac(keys.checkpointKey, cp))) {
      report(cp.seq, 'checkpoint-forged', 'A checkpoint does not carry a valid MAC', null);
      continue;
    }
    if (!newestCheckpoint || cp.seq > newestCheckpoint.seq) newestCheckpoint = cp;
    if (validHead && cp.seq > validHead.seq) {
      report(cp.seq, 'checkpoint-mismatch', `A checkpoint is newer than the head (seq ${validHead.seq}): the head was rolled back`, validHead.seq + 1n);
      continue;
    }
    points.push({ point: cp, what: 'checkpoint' });
  }
  if (validHead && validHead.seq > 0n) points.push({ point: validHead, what: 'head' });
  points.sort((a, b) => (a.point.seq < b.point.seq ? -1 : a.point.seq > b.point.seq ? 1 : 0));
  const kindOf = (what: 'head' | 'checkpoint') => (what === 'head' ? 'head-mismatch' : 'checkpoint-mismatch');

  let prevHash = GENESIS_HASH;
  let count = 0n;
  let keyedSeen = false;
  let lastSeq = 0n;
  let next = 0; // the first point not yet reached
  for (let afterSeq = 0n; ;) {
    const batch = await repo.batchAfter(afterSeq, BATCH);
    for (const row of batch) {
      // Points passed without meeting their event: it was deleted.
      for (; next < points.length && points[next]!.point.seq < row.seq; next += 1) {
        const { point, what } = points[next]!;
        report(point.seq, kindOf(what), `The ${what}'s event (seq ${point.seq}) is missing`, point.seq);
      }
      count += 1n;
      if (row.prevHash !== prevHash) report(row.seq, 'broken-link', 'Its predecessor was deleted, inserted or edited');
      if (row.macVersion === UNKEYED_MAC) {
        if (keyedSeen) report(row.seq, 'unkeyed-after-keyed', 'An unkeyed row after keyed ones: written without the chain key');
        else if (auditHash(row.prevHash, row) !== row.hash) report(row.seq, 'edited', 'The row no longer matches its hash');
      } else if (row.macVersion === CHAIN_MAC) {
        keyedSeen = true;
        if (!safeEqual(row.hash, auditMac(keys.chainKey, row.prevHash, row)))
          report(row.seq, 'edited', 'The row does not match its MAC: edited, or written without the chain key');
        else if (row.action === HEAD_REBUILT_ACTION)
          report(row.seq, 'head-rebuilt', 'PassMan found the head deleted and started a new one here: the newest events before this one may have been deleted');
      } else {
        report(row.seq, 'edited', `Unknown MAC version ${row.macVersion}`);
      }
      for (; next < points.length && points[next]!.point.seq === row.seq; next += 1) {
        const { point, what } = points[next]!;
        if (point.hash !== row.hash || point.count !== count) {
          report(
            point.seq,
            kindOf(what),
            `The ${what} says event ${point.count} has hash ${point.hash.slice(0, 12)}…; the trail has event ${count} with ${row.hash.slice(0, 12)}…`,
            row.seq,
          );
        }
      }
      prevHash = row.hash;
      lastSeq = row.seq;
      afterSeq = row.seq;
    }
    if (batch.length < BATCH) break;
  }
  // Points beyond the last row: the newest events were deleted (or all of them).
  for (; next < points.length; next += 1) {
    const { point, what } = points[next]!;
    report(point.seq, kindOf(what), `The ${what}'s event (seq ${point.seq}) is missing: the newest events were deleted`, lastSeq + 1n);
  }

  return {
    ok: problems.length === 0,
    checked: Number(count),
    firstBrokenSeq: firstBroken === null ? null : (firstBroken as bigint).toString(),
    head: head ? presentPoint(head) : null,
    checkpoint: newestCheckpoint ? presentPoint(newestCheckpoint) : null,
    checkpointsChecked: points.filter((p) => p.what === 'checkpoint').length,
    problems,
  };
}
