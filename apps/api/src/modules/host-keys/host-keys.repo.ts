import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

function hostKeysRepo(db: DbClient) {
  return {
    getTarget: (id: string) => db.target.findUnique({ where: { id }, select: { id: true, name: true, address: true, port: true } }),
    /** Records a key a target offered; a new key starts PENDING, a known one keeps its status. */
    recordOffered: (targetId: string, key: { algorithm: string; fingerprint: string; publicKey: string }) =>
      db.targetHostKey.upsert({
        where: { targetId_fingerprint: { targetId, fingerprint: key.fingerprint } },
        create: { targetId, ...key, status: 'PENDING' },
        update: {},
      }),
    find: (targetId: string, fingerprint: string) => db.targetHostKey.findUnique({ where: { targetId_fingerprint: { targetId, fingerprint } } }),
    approve: (id: string, approvedById: string | null) => db.targetHostKey.update({ where: { id }, data: { status: 'APPROVED', approvedAt: new Date(), approvedById } }),
    revokeOthers: (targetId: string, keepId: string) =>
      db.targetHostKey.updateMany({ where: { targetId, id: { not: keepId }, status: { not: 'REVOKED' } }, data: { status: 'REVOKED' } }),
  };
}

export const createHostKeysRepo = (db: DbClient) => transactional(db, hostKeysRepo);
export type HostKeysRepo = ReturnType<typeof createHostKeysRepo>;
