import type { AuditOutcome, AuditVerifyResult } from '@passman/contracts';
import type { Prisma } from '@passman/db';
import { runInTransaction, type DbClient, type Tx } from '../../db/transaction.js';
import { decodeKeyset, encodeKeyset, keyParts } from '../../lib/keyset.js';
import type { RequestContext } from '../auth/actor.js';
import { auditHash, GENESIS_HASH } from './audit-hash.js';
import { presentAuditEvent } from './audit.presenter.js';
import { createAuditRepo, type AuditFilter } from './audit.repo.js';

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId?: string | null;
  outcome?: AuditOutcome;
  /** Non-secret facts about the change (names, changed fields) — never a secret value. */
  details?: Prisma.InputJsonObject;
  /** Overrides the actor name, e.g. the username typed at a failed login. */
  actorName?: string;
}

export function createAuditService(deps: { db: DbClient; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());

  /**
   * Appends one event to the hash chain. Pass the caller's transaction so the event and the
   * change it records commit together (audit fails closed: no event, no change).
   */
  function record(ctx: RequestContext, event: AuditRecord, tx?: Tx): Promise<void> {
    return recordMany([{ ctx, event }], tx);
  }

  /** Appends several events in order, taking the chain lock once (the job worker writes its results in groups). */
  async function recordMany(entries: { ctx: RequestContext; event: AuditRecord }[], tx?: Tx): Promise<void> {
    if (entries.length === 0) return;
    await runInTransaction(tx ?? deps.db, async (t) => {
      const repo = createAuditRepo(t);
      let prevHash = (await repo.lockChainAndGetHead()) ?? GENESIS_HASH;
      const rows = entries.map(({ ctx, event }) => {
        const row = {
          at: now(),
          actorId: ctx.actor?.userId ?? null,
          actorName: event.actorName ?? ctx.actor?.username ?? 'system',
          action: event.action,
          objectType: event.objectType,
          objectId: event.objectId ?? null,
          outcome: event.outcome ?? 'success',
          requestId: ctx.requestId,
          ip: ctx.ip,
          details: event.details ?? {},
        };
        const linked = { ...row, prevHash, hash: auditHash(prevHash, row) };
        prevHash = linked.hash;
        return linked;
      });
      await repo.insertInOrder(rows);
    });
  }

  async function list(filter: Omit<AuditFilter, 'beforeSeq'>, limit: number, cursor?: string) {
    const beforeSeq = cursor ? BigInt(decodeKeyset('audit', 'seq', cursor, [keyParts.positiveBigint])[0]!) : undefined;
    const rows = await createAuditRepo(deps.db).list({ ...filter, beforeSeq }, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(presentAuditEvent),
      nextCursor: rows.length > limit && last ? encodeKeyset('audit', 'seq', [last.seq.toString()]) : null,
    };
  }

  /** Walks the whole chain; a row whose hash no longer matches was edited, a broken link means a deletion. */
  async function verify(): Promise<AuditVerifyResult> {
    const repo = createAuditRepo(deps.db);
    const problems: AuditVerifyResult['problems'] = [];
    let prevHash = GENESIS_HASH;
    let afterSeq = 0n;
    let checked = 0;
    for (;;) {
      const batch = await repo.batchAfter(afterSeq, 1000);
      for (const row of batch) {
        if (row.prevHash !== prevHash) problems.push({ seq: row.seq.toString(), kind: 'broken-link' });
        if (auditHash(row.prevHash, row) !== row.hash) problems.push({ seq: row.seq.toString(), kind: 'edited' });
        prevHash = row.hash;
        afterSeq = row.seq;
        checked += 1;
      }
      if (batch.length < 1000) break;
    }
    return { ok: problems.length === 0, checked, problems };
  }

  return { record, recordMany, list, verify };
}

export type AuditService = ReturnType<typeof createAuditService>;
