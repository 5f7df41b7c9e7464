import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

export interface OfferedHostKey {
  algorithm: string;
  fingerprint: string;
  publicKey: string;
}

/** Where a key was offered: the address and port PassMan dialled. */
export interface SeenAt {
  address: string;
  port: number;
}

/** Keys never approved kept per target (a host can offer any number of them). */
export const MAX_UNAPPROVED_KEYS = 10;

function hostKeysRepo(db: DbClient) {
  return {
    getTarget: (id: string) => db.target.findUnique({ where: { id }, select: { id: true, name: true, address: true, port: true } }),

    /** Locks the target row until the end of the transaction: its address cannot change meanwhile. */
    lockTarget: async (id: string) => {
      const rows = await db.$queryRaw<{ id: string; name: string; address: string; port: number }[]>(
        Prisma.sql`SELECT id, name, address, port FROM targets WHERE id = ${id}::uuid FOR UPDATE`,
      );
      return rows[0] ?? null;
    },

    /**
     * Records a key a target offered at an address; a new key starts PENDING, a known one keeps
     * its status. A host offering a new key at every contact (hostile, or regenerating its keys)
     * leaves at most MAX_UNAPPROVED_KEYS keys never approved, the most recently seen.
     */
    recordOffered: async (targetId: string, key: OfferedHostKey, seen: SeenAt) => {
      const at = new Date();
      const seenColumns = { seenAddress: seen.address, seenPort: seen.port, lastSeenAt: at };
      const row = await db.targetHostKey.upsert({
        where: { targetId_fingerprint: { targetId, fingerprint: key.fingerprint } },
        create: { targetId, ...key, status: 'PENDING', ...seenColumns },
        update: seenColumns,
      });
      await db.$executeRaw`
        DELETE FROM target_host_keys WHERE id IN (
          SELECT id FROM target_host_keys
           WHERE target_id = ${targetId}::uuid AND status = 'PENDING' AND approved_at IS NULL AND id <> ${row.id}::uuid
           ORDER BY last_seen_at DESC NULLS LAST, id DESC
          OFFSET ${MAX_UNAPPROVED_KEYS - 1})`;
      return row;
    },

    find: (targetId: string, fingerprint: string) => db.targetHostKey.findUnique({ where: { targetId_fingerprint: { targetId, fingerprint } } }),

    /** The keys trusted until now: APPROVED, or unpinned by a change of address (PENDING with an approval time). */
    trustedBefore: async (targetId: string) =>
      (
        await db.targetHostKey.findMany({
          where: { targetId, OR: [{ status: 'APPROVED' }, { status: 'PENDING', approvedAt: { not: null } }] },
          select: { fingerprint: true },
          orderBy: { fingerprint: 'asc' },
        })
      ).map((k) => k.fingerprint),

    approve: (id: string, approvedById: string | null, approvalMac: string) =>
      db.targetHostKey.update({ where: { id }, data: { status: 'APPROVED', approvedAt: new Date(), approvedById, approvalMac } }),

    revokeOthers: (targetId: string, keepId: string) =>
      db.targetHostKey.updateMany({ where: { targetId, id: { not: keepId }, status: { not: 'REVOKED' } }, data: { status: 'REVOKED' } }),
  };
}

export const createHostKeysRepo = (db: DbClient) => transactional(db, hostKeysRepo);
export type HostKeysRepo = ReturnType<typeof createHostKeysRepo>;
