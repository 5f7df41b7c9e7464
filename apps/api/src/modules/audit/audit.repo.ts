import type { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import type { ChainPoint, HashedFields } from './audit-hash.js';

/** Arbitrary constant: the advisory-lock key that serialises appends to the hash chain. */
const AUDIT_CHAIN_LOCK = 0x70617564; // "paud"

/** Non-secret facts an audit event stores as JSON. */
export type AuditDetails = Prisma.InputJsonObject;

export interface AuditInsert extends HashedFields {
  seq: bigint;
  details: AuditDetails;
  prevHash: string;
  hash: string;
  macVersion: number;
}

/** The head or a checkpoint as stored: a chain point and its MAC. */
export interface StoredChainPoint extends ChainPoint {
  mac: string;
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  objectType?: string;
  objectId?: string;
  outcome?: string;
  since?: Date;
  until?: Date;
  beforeSeq?: bigint;
}

interface PointRow {
  seq: bigint;
  count: bigint;
  hash: string;
  at: Date;
  mac: string;
}

const toPoint = (r: PointRow): StoredChainPoint => ({ seq: BigInt(r.seq), count: BigInt(r.count), hash: r.hash, at: r.at, mac: r.mac });

function auditRepo(db: DbClient) {
  return {
    // Raw SQL on the write path: every job, login and change appends here, and Prisma's model
    // queries cost several times more CPU for these statements (measured: ~1.4 ms per event).

    /**
     * Must run inside a transaction, as its last lock (lock order: db/transaction.ts): holds the
     * chain lock until commit.
     */
    lockChain: async () => {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
    },

    /**
     * After lockChain: the head, and `n` new seq numbers in ascending order (taken under the
     * lock, so seq order is chain order). One statement for both.
     */
    headAndSeqs: async (n: number): Promise<{ head: StoredChainPoint | null; seqs: bigint[] }> => {
      const [row] = await db.$queryRaw<(Partial<PointRow> & { seqs: string[] })[]>`
        SELECT h.seq, h.count, h.hash, h.at, h.mac,
               ARRAY(SELECT nextval('audit_events_seq_seq')::text FROM generate_series(1, ${n}::int)) AS seqs
          FROM (SELECT 1) AS one LEFT JOIN audit_head h ON h.id = 1`;
      const head = row?.hash ? toPoint(row as PointRow) : null;
      return { head, seqs: (row?.seqs ?? []).map((s) => BigInt(s)) };
    },

    /** The rows, numbered as given, and the head moved to the last of them: one statement. False when there was no head to move. */
    appendAndAdvance: async (rows: AuditInsert[], head: StoredChainPoint): Promise<boolean> => {
      const records = rows.map((r) => ({
        seq: r.seq.toString(),
        at: r.at.toISOString(),
        actor_id: r.actorId,
        actor_name: r.actorName,
        action: r.action,
        object_type: r.objectType,
        object_id: r.objectId,
        outcome: r.outcome,
        request_id: r.requestId,
        ip: r.ip,
        details: r.details,
        prev_hash: r.prevHash,
        hash: r.hash,
        mac_version: r.macVersion,
      }));
      const updated = await db.$executeRaw`
        WITH appended AS (
          INSERT INTO audit_events (seq, at, actor_id, actor_name, action, object_type, object_id, outcome, request_id, ip, details, prev_hash, hash, mac_version)
          SELECT x.seq, x.at, x.actor_id, x.actor_name, x.action, x.object_type, x.object_id, x.outcome, x.request_id, x.ip, x.details, x.prev_hash, x.hash, x.mac_version
            FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
              AS x(seq bigint, at timestamptz, actor_id uuid, actor_name text, action text, object_type text, object_id text, outcome text, request_id text, ip text, details jsonb, prev_hash text, hash text, mac_version int)
        )
        UPDATE audit_head SET seq = ${head.seq.toString()}::bigint, count = ${head.count.toString()}::bigint, hash = ${head.hash}, at = ${head.at}, mac = ${head.mac}
         WHERE id = 1`;
      return updated === 1;
    },

    readHead: async (): Promise<StoredChainPoint | null> => {
      const row = await db.auditHead.findUnique({ where: { id: 1 } });
      return row ? toPoint(row) : null;
    },

    /** The newest event and how many there are (once: to start the head of a trail that has none). */
    tail: async (): Promise<{ seq: bigint; hash: string; count: bigint; macVersion: number } | null> => {
      const [row] = await db.$queryRaw<{ seq: bigint; hash: string; count: bigint; mac_version: number }[]>`
        SELECT e.seq, e.hash, e.mac_version, (SELECT count(*) FROM audit_events) AS count FROM audit_events e ORDER BY e.seq DESC LIMIT 1`;
      return row ? { seq: BigInt(row.seq), hash: row.hash, count: BigInt(row.count), macVersion: row.mac_version } : null;
    },

    createHead: (point: StoredChainPoint) =>
      db.auditHead.create({ data: { id: 1, seq: point.seq, count: point.count, hash: point.hash, at: point.at, mac: point.mac } }),

    latestCheckpoint: async (): Promise<StoredChainPoint | null> => {
      const row = await db.auditCheckpoint.findFirst({ orderBy: { id: 'desc' } });
      return row ? toPoint(row) : null;
    },

    /** Every checkpoint, oldest first. */
    checkpoints: async (): Promise<StoredChainPoint[]> => (await db.auditCheckpoint.findMany({ orderBy: { id: 'asc' } })).map(toPoint),

    insertCheckpoint: (point: StoredChainPoint) =>
      db.auditCheckpoint.create({ data: { seq: point.seq, count: point.count, hash: point.hash, at: point.at, mac: point.mac } }),

    list: (filter: AuditFilter, limit: number) =>
      db.auditEvent.findMany({
        where: {
          action: filter.action,
          actorId: filter.actorId,
          objectType: filter.objectType,
          objectId: filter.objectId,
          outcome: filter.outcome,
          at: filter.since || filter.until ? { gte: filter.since, lte: filter.until } : undefined,
          seq: filter.beforeSeq !== undefined ? { lt: filter.beforeSeq } : undefined,
        },
        orderBy: { seq: 'desc' },
        take: limit,
      }),

    /** The chain in order, a batch at a time. */
    batchAfter: (afterSeq: bigint, size: number) => db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: size }),
  };
}

export const createAuditRepo = (db: DbClient) => transactional(db, auditRepo);
export type AuditRepo = ReturnType<typeof createAuditRepo>;
/** The repo's queries alone (bound to a client or a transaction). */
export type AuditQueries = ReturnType<typeof auditRepo>;
export type AuditRow = Awaited<ReturnType<AuditRepo['batchAfter']>>[number];
