import { Prisma } from '@passman/db';
import type { EncryptedRecord } from '@passman/vault';
import type { DbClient } from '../../db/transaction.js';

/** Credential versions, TOTP secrets and waiting import uploads as the master-key rewrap reads and writes them. */
export function createVaultRepo(db: DbClient) {
  return {
    /** Up to `limit` versions after `afterId` (id order) whose data key is wrapped under a master key other than `activeKeyVersion`. */
    versionsNotUnder: (activeKeyVersion: number, afterId: string | null, limit: number) =>
      db.credentialVersion.findMany({
        where: { keyVersion: { not: activeKeyVersion }, ...(afterId ? { id: { gt: afterId } } : {}) },
        select: { id: true, credentialId: true, version: true, ciphertext: true, wrappedKey: true, keyVersion: true },
        orderBy: { id: 'asc' },
        take: limit,
      }),
    /** Stores a re-wrapped data key, unless someone re-wrapped the row meanwhile (guarded by its old key version); true when stored. */
    replaceWrappedKey: async (row: { id: string; keyVersion: number }, next: Pick<EncryptedRecord, 'wrappedKey' | 'keyVersion'>) =>
      (
        await db.credentialVersion.updateMany({
          where: { id: row.id, keyVersion: row.keyVersion },
          data: { wrappedKey: next.wrappedKey, keyVersion: next.keyVersion },
        })
      ).count === 1,
    /** Up to `limit` TOTP factors after `afterId` whose secret's data key is wrapped under another master key. */
    totpSecretsNotUnder: async (activeKeyVersion: number, afterId: string | null, limit: number) =>
      (
        await db.mfaFactor.findMany({
          where: { kind: 'totp', secretKeyVersion: { not: activeKeyVersion }, ...(afterId ? { id: { gt: afterId } } : {}) },
          select: { id: true, secretCiphertext: true, secretWrappedKey: true, secretKeyVersion: true },
          orderBy: { id: 'asc' },
          take: limit,
        })
      ).map((f) => ({ id: f.id, ciphertext: f.secretCiphertext!, wrappedKey: f.secretWrappedKey!, keyVersion: f.secretKeyVersion! })),
    /** The same guarded replacement for a TOTP factor's secret. */
    replaceTotpWrappedKey: async (row: { id: string; keyVersion: number }, next: Pick<EncryptedRecord, 'wrappedKey' | 'keyVersion'>) =>
      (
        await db.mfaFactor.updateMany({
          where: { id: row.id, secretKeyVersion: row.keyVersion },
          data: { secretWrappedKey: next.wrappedKey, secretKeyVersion: next.keyVersion },
        })
      ).count === 1,
    /** Up to `limit` parts of waiting import uploads after `after` whose data key is wrapped under another master key, with their upload's part count. */
    importUploadPartsNotUnder: (activeKeyVersion: number, after: { importId: string; part: number } | null, limit: number) =>
      db.$queryRaw<{ importId: string; part: number; partCount: number; ciphertext: Uint8Array; wrappedKey: Uint8Array; keyVersion: number }[]>(
        Prisma.sql`SELECT u.import_id::text AS "importId", u.part, u.ciphertext, u.wrapped_key AS "wrappedKey", u.key_version AS "keyVersion",
                          (SELECT count(*) FROM import_uploads c WHERE c.import_id = u.import_id)::int AS "partCount"
                     FROM import_uploads u
                    WHERE u.key_version <> ${activeKeyVersion}
                      ${after ? Prisma.sql`AND (u.import_id, u.part) > (${after.importId}::uuid, ${after.part}::int)` : Prisma.empty}
                    ORDER BY u.import_id, u.part
                    LIMIT ${limit}`,
      ),
    /** The same guarded replacement for a part of an import upload. */
    replaceImportUploadWrappedKey: async (
      row: { importId: string; part: number; keyVersion: number },
      next: Pick<EncryptedRecord, 'wrappedKey' | 'keyVersion'>,
    ) =>
      (
        await db.importUpload.updateMany({
          where: { importId: row.importId, part: row.part, keyVersion: row.keyVersion },
          data: { wrappedKey: next.wrappedKey, keyVersion: next.keyVersion },
        })
      ).count === 1,
  };
}

export type VaultRepo = ReturnType<typeof createVaultRepo>;
