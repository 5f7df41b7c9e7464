import type { AuditOutcome, AuditVerifyResult } from '@passman/contracts';
import type { Logger } from 'pino';
import type { Tx } from '../../db/transaction.js';
import { AppError } from '../../lib/app-error.js';
import { decodeKeyset, encodeKeyset, keyParts } from '../../lib/keyset.js';
import type { RequestContext } from '../../lib/actor.js';
import { auditMac, CHAIN_MAC, chainPointMac, GENESIS_HASH, HEAD_REBUILT_ACTION, type ChainPoint } from './audit-hash.js';
import type { AuditKeys } from './audit-key.js';
import { storableJson, storableText } from './audit-text.js';
import { verifyChain } from './audit-verify.js';
import { presentAuditEvent } from './audit.presenter.js';
import type { AuditDetails, AuditFilter, AuditInsert, AuditQueries, AuditRepo, StoredChainPoint } from './audit.repo.js';

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId?: string | null;
  outcome?: AuditOutcome;
  /** Non-secret facts about the change (names, changed fields) — never a secret value. */
  details?: AuditDetails;
  /** Overrides the actor name, e.g. the username typed at a failed login. */
  actorName?: string;
}

const sealed = () =>
  new AppError(
    'SEALED',
    'PassMan is sealed: without the master key the audit trail cannot be written, so nothing that is audited can be done until an administrator provides the key',
  );

/**
 * The audit trail: a chain of events, each hashed with HMAC under a key derived from the master
 * key (audit-key.ts), a signed head moved in the transaction of every append, and signed
 * checkpoints of it (README.md in this folder says what that detects and what it does not).
 * `keys` null — the vault is sealed — and every append fails closed with 503 SEALED.
 */
export function createAuditService(deps: { repo: AuditRepo; keys: AuditKeys | null; now?: () => Date; logger?: Logger }) {
  const now = deps.now ?? (() => new Date());
  /** Runs `fn` in the caller's transaction `tx`, or in a transaction of its own. */
  const inTransaction = <T>(tx: Tx | undefined, fn: (repo: AuditQueries, tx: Tx) => Promise<T>): Promise<T> =>
    tx ? fn(deps.repo.within(tx), tx) : deps.repo.transaction(fn);
  const sign = (keys: AuditKeys, point: ChainPoint): StoredChainPoint => ({ ...point, mac: chainPointMac(keys.checkpointKey, point) });

  /**
   * Appends one event to the hash chain. Pass the caller's transaction so the event and the
   * change it records commit together (audit fails closed: no event, no change). Call it last in
   * the transaction: it takes the chain lock (lock order: db/transaction.ts).
   */
  function record(ctx: RequestContext, event: AuditRecord, tx?: Tx): Promise<void> {
    return recordMany([{ ctx, event }], tx);
  }

  /**
   * Appends several events in order, taking the chain lock once (the job worker writes its
   * results in groups): the lock, the head with new seq numbers, then the rows and the head's
   * move in one statement.
   */
  async function recordMany(entries: { ctx: RequestContext; event: AuditRecord }[], tx?: Tx): Promise<void> {
    if (entries.length === 0) return;
    const keys = deps.keys;
    if (!keys) throw sealed();
    await inTransaction(tx, async (repo) => {
      await repo.lockChain();
      const { head, seqs } = await repo.headAndSeqs(entries.length);
      if (!head) throw headMissing();
      let prevHash = head.hash;
      const rows: AuditInsert[] = entries.map(({ ctx, event }, i) => {
        const row = {
          seq: seqs[i]!,
          at: now(),
          actorId: ctx.actor?.userId ?? null,
          actorName: storableText(event.actorName ?? ctx.actor?.username ?? 'system'),
          action: storableText(event.action),
          objectType: storableText(event.objectType),
          objectId: event.objectId === undefined || event.objectId === null ? null : storableText(event.objectId),
          outcome: event.outcome ?? 'success',
          requestId: storableText(ctx.requestId),
          ip: ctx.ip === null ? null : storableText(ctx.ip),
          details: storableJson(event.details ?? {}),
        };
        const linked = { ...row, prevHash, hash: auditMac(keys.chainKey, prevHash, row), macVersion: CHAIN_MAC };
        prevHash = linked.hash;
        return linked;
      });
      const last = rows.at(-1)!;
      const advanced = sign(keys, { seq: last.seq, count: head.count + BigInt(rows.length), hash: last.hash, at: last.at });
      if (!(await repo.appendAndAdvance(rows, advanced))) throw headMissing();
    });
  }

  function headMissing(): AppError {
    deps.logger?.error("the audit trail has no head: it was deleted behind PassMan's back; GET /audit/verify reports it, a restart starts a new one");
    return new AppError('UNAVAILABLE', 'The audit trail cannot be written (its head is missing); an administrator must look at it');
  }

  /**
   * Makes sure the chain has a head (once per start): on a new installation, or one whose trail
   * predates the keyed chain, it is started from the rows there are. A head that vanished is
   * started again too, and said so loudly: in the log, and by an `audit.head_rebuilt` event
   * appended at once — keyed like every event, so it cannot be removed without deleting the
   * newest rows, which loses the head again and brings the next start back here — that verify
   * reports for good. The checkpoints and their log lines still tell what the head was.
   *
   * Rows without a head that are all unkeyed look the same whether they predate the keyed chain
   * or were re-forged from the first row on (plain SHA-256 needs no key, and head and
   * checkpoints can be deleted): only the operator knows which, so such a trail is taken as it
   * is only when `adoptUnkeyedTrail` (PASSMAN_AUDIT_ADOPT_UNKEYED_TRAIL, for the first start
   * after an upgrade) says so, and is otherwise recorded as a lost head.
   */
  async function initialize(options: { adoptUnkeyedTrail?: boolean } = {}): Promise<void> {
    const keys = deps.keys;
    if (!keys) return;
    const created = await inTransaction(undefined, async (repo, tx) => {
      await repo.lockChain();
      if (await repo.readHead()) return null;
      const tail = await repo.tail();
      const checkpoint = await repo.latestCheckpoint();
      const head = sign(keys, { seq: tail?.seq ?? 0n, count: tail?.count ?? 0n, hash: tail?.hash ?? GENESIS_HASH, at: now() });
      await repo.createHead(head);
      // Keyed rows or checkpoints mean a head existed: it was deleted (an upgrade from the
      // unkeyed trail, or a new installation, has neither). Unkeyed rows alone: see above.
      const lost = checkpoint !== null || tail?.macVersion === CHAIN_MAC || (tail !== null && !options.adoptUnkeyedTrail);
      if (lost) {
        await recordMany(
          [
            {
              ctx: { requestId: 'audit:initialize', ip: null, userAgent: null, actor: null },
              event: {
                action: HEAD_REBUILT_ACTION,
                objectType: 'audit_trail',
                outcome: 'failure',
                details: { seq: head.seq.toString(), count: head.count.toString(), checkpoints: checkpoint !== null },
              },
            },
          ],
          tx,
        );
      }
      return { head, lost };
    });
    if (!created) return;
    const fields = { seq: created.head.seq.toString(), count: created.head.count.toString() };
    if (created.lost) {
      deps.logger?.error(
        fields,
        'the audit trail had lost its head: a new one was started from the rows as they are, and an audit.head_rebuilt event says so; run GET /audit/verify' +
          ' (on the first start after upgrading from a trail without a key, PASSMAN_AUDIT_ADOPT_UNKEYED_TRAIL=true takes its rows as they are instead)',
      );
    } else if (created.head.count > 0n) deps.logger?.warn(fields, 'the audit trail had no head yet: started from the existing rows');
  }

  /**
   * Copies the head into the append-only checkpoints (unless it has not moved since the last
   * one) and writes it to the log, a copy outside the database. Returns the checkpoint written.
   */
  async function checkpoint(): Promise<StoredChainPoint | null> {
    if (!deps.keys) return null;
    const written = await inTransaction(undefined, async (repo) => {
      await repo.lockChain();
      const head = await repo.readHead();
      const last = await repo.latestCheckpoint();
      if (!head || head.count === 0n || (last && last.seq === head.seq && last.hash === head.hash)) return null;
      await repo.insertCheckpoint(head);
      return head;
    });
    if (written) {
      deps.logger?.info(
        {
          auditCheckpoint: { seq: written.seq.toString(), count: written.count.toString(), hash: written.hash, at: written.at.toISOString(), mac: written.mac },
        },
        'audit checkpoint',
      );
    }
    return written;
  }

  /** The head and the newest checkpoint, for deciding when the next checkpoint is due. */
  async function chainState() {
    const repo = deps.repo;
    return { head: await repo.readHead(), checkpoint: await repo.latestCheckpoint() };
  }

  async function list(filter: Omit<AuditFilter, 'beforeSeq'>, limit: number, cursor?: string) {
    const beforeSeq = cursor ? BigInt(decodeKeyset('audit', 'seq', cursor, [keyParts.positiveBigint])[0]!) : undefined;
    const rows = await deps.repo.list({ ...filter, beforeSeq }, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(presentAuditEvent),
      nextCursor: rows.length > limit && last ? encodeKeyset('audit', 'seq', [last.seq.toString()]) : null,
    };
  }

  /** Walks the whole chain against the head and the checkpoints (audit-verify.ts); needs the keys. */
  async function verify(): Promise<AuditVerifyResult> {
    if (!deps.keys) throw sealed();
    return verifyChain(deps.repo, deps.keys);
  }

  return { record, recordMany, initialize, checkpoint, chainState, list, verify };
}

export type AuditService = ReturnType<typeof createAuditService>;
