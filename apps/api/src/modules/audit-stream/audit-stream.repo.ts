import type { DbClient } from '../../db/transaction.js';

/** Where a destination seen for the first time starts: the whole trail, or the events after now. */
export type StreamStart = 'start' | 'now';

export interface DestinationBacklog {
  destination: string;
  /** Events not yet delivered. */
  backlog: number;
  deliveredSeq: bigint;
  failures: number;
  lastError: string | null;
  deliveredAt: Date | null;
}

/**
 * The cursors of the audit stream. The audit trail is the outbox: its rows are appended in seq
 * order under the chain lock, held until commit, so once a seq is visible every smaller one that
 * will ever exist is too — "everything after the cursor" never skips a late commit.
 */
export function createAuditStreamRepo(db: DbClient) {
  return {
    /** Creates the destination's cursor unless it exists (its position is kept across restarts). */
    ensureCursor: async (destination: string, from: StreamStart): Promise<void> => {
      const startAtHead = from === 'now';
      await db.$executeRaw`
        INSERT INTO audit_stream_cursors (destination, delivered_seq)
        SELECT ${destination}, CASE WHEN ${startAtHead} THEN COALESCE((SELECT max(seq) FROM audit_events), 0) ELSE 0 END
        ON CONFLICT (destination) DO NOTHING`;
    },

    /**
     * Takes or renews the lease on a destination for `owner`; its delivered seq, or null when
     * another live process holds it.
     */
    claim: async (destination: string, owner: string, leaseMs: number): Promise<bigint | null> => {
      const rows = await db.$queryRaw<{ delivered_seq: bigint }[]>`
        UPDATE audit_stream_cursors
           SET lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
         WHERE destination = ${destination}
           AND (lease_owner IS NULL OR lease_owner = ${owner} OR lease_until < now())
        RETURNING delivered_seq`;
      return rows[0] ? BigInt(rows[0].delivered_seq) : null;
    },

    /** The next events after `seq`, oldest first. */
    eventsAfter: (seq: bigint, limit: number) => db.auditEvent.findMany({ where: { seq: { gt: seq } }, orderBy: { seq: 'asc' }, take: limit }),

    /**
     * Moves the cursor from `from` to `to`, only while `owner` still holds the lease and nobody
     * moved it meanwhile. False: the lease was lost (another process sends from now on).
     */
    advance: async (destination: string, owner: string, from: bigint, to: bigint): Promise<boolean> => {
      const updated = await db.$executeRaw`
        UPDATE audit_stream_cursors
           SET delivered_seq = ${to}, failures = 0, last_error = NULL, delivered_at = now(), updated_at = now()
         WHERE destination = ${destination} AND lease_owner = ${owner} AND delivered_seq = ${from}`;
      return updated === 1;
    },

    recordFailure: async (destination: string, owner: string, error: string): Promise<void> => {
      await db.$executeRaw`
        UPDATE audit_stream_cursors SET failures = failures + 1, last_error = ${error.slice(0, 500)}, updated_at = now()
         WHERE destination = ${destination} AND lease_owner = ${owner}`;
    },

    release: async (destination: string, owner: string): Promise<void> => {
      await db.$executeRaw`
        UPDATE audit_stream_cursors SET lease_owner = NULL, lease_until = NULL WHERE destination = ${destination} AND lease_owner = ${owner}`;
    },

    /** Per destination: how many events wait, and how its delivery goes. */
    backlog: async (destinations: string[]): Promise<DestinationBacklog[]> => {
      if (destinations.length === 0) return [];
      const rows = await db.$queryRaw<
        { destination: string; backlog: bigint; delivered_seq: bigint; failures: number; last_error: string | null; delivered_at: Date | null }[]
      >`
        SELECT c.destination, (SELECT count(*) FROM audit_events e WHERE e.seq > c.delivered_seq) AS backlog,
               c.delivered_seq, c.failures, c.last_error, c.delivered_at
          FROM audit_stream_cursors c
         WHERE c.destination = ANY(${destinations}::text[])
         ORDER BY c.destination`;
      return rows.map((r) => ({
        destination: r.destination,
        backlog: Number(r.backlog),
        deliveredSeq: BigInt(r.delivered_seq),
        failures: r.failures,
        lastError: r.last_error,
        deliveredAt: r.delivered_at,
      }));
    },
  };
}

export type AuditStreamRepo = ReturnType<typeof createAuditStreamRepo>;
