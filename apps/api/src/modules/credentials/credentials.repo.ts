import type { Prisma } from '@passman/db';
import { mapConstraintError, type DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { complianceOf } from './compliance.js';

const currentVersion = { versions: { where: { state: 'CURRENT' }, take: 1, orderBy: { version: 'desc' } } } as const;

function credentialsRepo(db: DbClient) {
  return {
    /** The account row locked until the transaction ends (lock order: db/transaction.ts); false when it no longer exists. */
    lockAccount: async (id: string) => (await db.$queryRaw<{ id: string }[]>`SELECT id FROM accounts WHERE id = ${id}::uuid FOR UPDATE`).length > 0,
    getAccount: (id: string) => db.account.findUnique({ where: { id }, select: { id: true, status: true, policyId: true, targetId: true, username: true } }),
    listOfAccount: (accountId: string) =>
      db.credential.findMany({ where: { accountId }, orderBy: [{ type: 'asc' }, { slot: 'asc' }], include: currentVersion }),
    get: (id: string) => db.credential.findUnique({ where: { id }, include: currentVersion }),
    versions: (credentialId: string) => db.credentialVersion.findMany({ where: { credentialId }, orderBy: { version: 'desc' } }),
    usernames: async (ids: string[]) => {
      const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
      return new Map(users.map((u) => [u.id, u.username]));
    },
    createWithFirstVersion: (credential: Prisma.CredentialUncheckedCreateInput, version: Omit<Prisma.CredentialVersionUncheckedCreateInput, 'credentialId'>) =>
      db.credential
        .create({ data: { ...credential, versions: { create: version } }, include: currentVersion })
        .catch((e: unknown) => mapConstraintError(e, 'A credential of that type on this account')),
    /** Compliance of an account: Noncompliant if any current secret is, Compliant if all known are. */
    recomputeCompliance: async (accountId: string) => {
      const flags = await db.credentialVersion.findMany({ where: { state: 'CURRENT', credential: { accountId } }, select: { compliant: true } });
      await db.account.update({ where: { id: accountId }, data: { compliance: complianceOf(flags.map((f) => f.compliant)) } });
    },
    /** A new unverified secret means the account is no longer proven InSync. */
    markUnverified: (accountId: string) =>
      db.account.updateMany({ where: { id: accountId, status: 'InSync' }, data: { status: 'Unknown', statusReason: 'NOT_CHECKED' } }),
  };
}

export const createCredentialsRepo = (db: DbClient) => transactional(db, credentialsRepo);
export type CredentialsRepo = ReturnType<typeof createCredentialsRepo>;
export type CredentialRow = NonNullable<Awaited<ReturnType<CredentialsRepo['get']>>>;
export type CredentialVersionRow = Awaited<ReturnType<CredentialsRepo['versions']>>[number];
