import type { EncryptedRecord } from '@passman/vault';
import type { DbClient } from '../../db/transaction.js';

/** Credential versions and TOTP secrets as the master-key rewrap reads and writes them. */
export function createVaultRepo(db: DbClient) {
  return {
    /** Up to `limit` versions whose data key is wrapped under a master key other than `activeKeyVersion`. */
    versionsNotUnder: (activeKeyVersion: number, limit: number) =>
      db.credentialVersion.findMany({
        where: { keyVersion: { not: activeKeyVersion } },
        select: { id: true, credentialId: true, version: true, ciphertext: true, wrappedKey: true, keyVersion: true },
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
    /** Up to `limit` TOTP factors whose secret's data key is wrapped under another master key. */
    totpSecretsNotUnder: async (activeKeyVersion: number, limit: number) =>
      (
        await db.mfaFactor.findMany({
          where: { kind: 'totp', secretKeyVersion: { not: activeKeyVersion } },
          select: { id: true, secretCiphertext: true, secretWrappedKey: true, secretKeyVersion: true },
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
  };
}

export type VaultRepo = ReturnType<typeof createVaultRepo>;
