import type { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import type { HashedFields } from './audit-hash.js';

/** Arbitrary constant: the advisory-lock key that serialises appends to the hash chain. */
const AUDIT_CHAIN_LOCK = 0x70617564; // "paud"

export interface AuditInsert extends HashedFields {
  details: Prisma.InputJsonObject;
  prevHash: string;
  hash: string;
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

export function createAuditRepo(db: DbClient) {
  return {
    /** Must run inside a transaction: holds the chain lock until commit. */
    async lockChainAndGetHead(): Promise<string | null> {
      await db.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`;
      const head = await db.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
      return head?.hash ?? null;
    },

    /** One multi-row INSERT: PostgreSQL numbers the rows (seq) in the order given, which the chain follows. */
    insertInOrder: async (rows: AuditInsert[]) => {
      await db.auditEvent.createMany({ data: rows });
    },

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
    batchAfter: (afterSeq: bigint, size: number) =>
      db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: size }),
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
export type AuditRow = Awaited<ReturnType<AuditRepo['batchAfter']>>[number];
