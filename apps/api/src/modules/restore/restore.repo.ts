import type { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

function restoreRepo(db: DbClient) {
  return {
    credential: (id: string) =>
      db.credential.findUnique({
        where: { id },
        select: { id: true, accountId: true, type: true, slot: true, account: { select: { policyId: true } } },
      }),
    current: (credentialId: string) => db.credentialVersion.findFirst({ where: { credentialId, state: 'CURRENT' } }),
    version: (credentialId: string, version: number) => db.credentialVersion.findUnique({ where: { credentialId_version: { credentialId, version } } }),
    /** The account row locked until the transaction ends (lock order: db/transaction.ts), with its status; null when it is gone. */
    lockAccount: async (id: string) => {
      const rows = await db.$queryRaw<
        { status: 'InSync' | 'NotInSync' | 'Unknown' }[]
      >`SELECT status::text AS status FROM accounts WHERE id = ${id}::uuid FOR UPDATE`;
      return rows[0] ?? null;
    },
    /** A reset (or restore on the target) of the account under way: its job id. */
    resetInProgress: async (accountId: string) =>
      (await db.job.findFirst({ where: { accountId, kind: 'RESET', state: { in: ['queued', 'running', 'unverified'] } }, select: { id: true } }))?.id ?? null,
    latestVersion: async (credentialId: string) =>
      (await db.credentialVersion.aggregate({ where: { credentialId }, _max: { version: true } }))._max.version ?? 0,
    /** The CURRENT version becomes RETIRED, and the new one CURRENT, in that order (one CURRENT per credential). */
    replaceCurrent: async (credentialId: string, version: Omit<Prisma.CredentialVersionUncheckedCreateInput, 'credentialId'>, at: Date) => {
      await db.credentialVersion.updateMany({ where: { credentialId, state: 'CURRENT' }, data: { state: 'RETIRED', stateChangedAt: at } });
      return db.credentialVersion.create({ data: { ...version, credentialId, createdAt: at, stateChangedAt: at } });
    },
    /** A vault copy nobody has tried on the target: Unknown until checked, like any changed credential; compliance from the current secrets. */
    recordVaultChange: async (accountId: string, compliance: 'Compliant' | 'Noncompliant' | null, at: Date) =>
      db.account.update({ where: { id: accountId }, data: { status: 'Unknown', statusReason: 'NOT_CHECKED', lastChangedAt: at, compliance } }),
    currentCompliance: async (accountId: string) =>
      (await db.credentialVersion.findMany({ where: { state: 'CURRENT', credential: { accountId } }, select: { compliant: true } })).map((f) => f.compliant),
    usernames: async (ids: string[]) => {
      const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
      return new Map(users.map((u) => [u.id, u.username]));
    },
  };
}

export const createRestoreRepo = (db: DbClient) => transactional(db, restoreRepo);
export type RestoreRepo = ReturnType<typeof createRestoreRepo>;
