import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

export type ChallengePurpose = 'login' | 'webauthn-registration' | 'step-up';

const FACTOR_ORDER = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

function mfaRepo(db: DbClient) {
  return {
    confirmedFactors: (userId: string) => db.mfaFactor.findMany({ where: { userId, confirmedAt: { not: null } }, orderBy: FACTOR_ORDER }),
    countConfirmed: (userId: string) => db.mfaFactor.count({ where: { userId, confirmedAt: { not: null } } }),
    findFactorOfUser: (id: string, userId: string) => db.mfaFactor.findFirst({ where: { id, userId } }),
    findWebAuthnFactor: (credentialId: string) => db.mfaFactor.findUnique({ where: { credentialId } }),

    /** The id is chosen first: the secret is sealed under it (a ciphertext moved to another factor does not open). */
    createTotpFactorWithId: (
      id: string,
      data: { userId: string; name: string; secretCiphertext: Uint8Array<ArrayBuffer>; secretWrappedKey: Uint8Array<ArrayBuffer>; secretKeyVersion: number },
    ) => db.mfaFactor.create({ data: { id, ...data, kind: 'totp', transports: [] } }),
    /** Pending TOTP enrolments of a user that were never confirmed: a new one replaces them. */
    deletePendingTotp: (userId: string) => db.mfaFactor.deleteMany({ where: { userId, kind: 'totp', confirmedAt: null } }),
    createWebAuthnFactor: (data: {
      userId: string;
      name: string;
      credentialId: string;
      publicKey: Uint8Array<ArrayBuffer>;
      signCount: bigint;
      transports: string[];
      confirmedAt: Date;
    }) => db.mfaFactor.create({ data: { ...data, kind: 'webauthn' } }),

    /**
     * Accepts a TOTP time step for a factor only if it is newer than every step accepted
     * before: one statement, so of two requests with the same code exactly one succeeds.
     */
    async acceptTimeStep(factorId: string, step: number, at: Date, confirm: boolean): Promise<boolean> {
      const rows = await db.$executeRaw`
        UPDATE mfa_factors SET last_time_step = ${BigInt(step)}, last_used_at = ${at},
               confirmed_at = CASE WHEN ${confirm} THEN COALESCE(confirmed_at, ${at}) ELSE confirmed_at END
         WHERE id = ${factorId}::uuid AND (last_time_step IS NULL OR last_time_step < ${BigInt(step)})
           AND (${confirm} OR confirmed_at IS NOT NULL)`;
      return rows === 1;
    },

    /** Stores a WebAuthn assertion's counter unless a racing assertion stored a later one. */
    async acceptSignCount(factorId: string, previous: bigint, next: bigint, at: Date): Promise<boolean> {
      const { count } = await db.mfaFactor.updateMany({ where: { id: factorId, signCount: previous }, data: { signCount: next, lastUsedAt: at } });
      return count === 1;
    },

    renameFactor: (id: string, name: string) => db.mfaFactor.update({ where: { id }, data: { name } }),
    deleteFactor: (id: string) => db.mfaFactor.deleteMany({ where: { id } }),
    deleteAllOfUser: async (userId: string) => {
      const factors = await db.mfaFactor.deleteMany({ where: { userId } });
      const codes = await db.mfaRecoveryCode.deleteMany({ where: { userId } });
      await db.mfaChallenge.deleteMany({ where: { userId } });
      return { factors: factors.count, recoveryCodes: codes.count };
    },

    countUnusedRecoveryCodes: (userId: string) => db.mfaRecoveryCode.count({ where: { userId, usedAt: null } }),
    replaceRecoveryCodes: async (userId: string, hashes: string[]) => {
      await db.mfaRecoveryCode.deleteMany({ where: { userId } });
      await db.mfaRecoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
    },
    /** Marks an unused recovery code of the user used; false when there is none (or a racing request took it). */
    async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
      const { count } = await db.mfaRecoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: at } });
      return count === 1;
    },

    createChallenge: (data: {
      tokenHash: string;
      userId: string;
      purpose: ChallengePurpose;
      webauthnChallenge?: string | null;
      passwordStamp?: string | null;
      expiresAt: Date;
    }) => db.mfaChallenge.create({ data }),
    /** A live challenge of this purpose, with whether its user is disabled. */
    findChallenge: (tokenHash: string, purpose: ChallengePurpose, at: Date) =>
      db.mfaChallenge.findFirst({
        where: { tokenHash, purpose, expiresAt: { gt: at } },
        include: { user: { select: { id: true, username: true, disabledAt: true } } },
      }),
    setWebAuthnChallenge: (id: string, webauthnChallenge: string) => db.mfaChallenge.updateMany({ where: { id }, data: { webauthnChallenge } }),
    /** Deletes the challenge if it is still there and live: true for exactly one of racing consumers. */
    async consumeChallenge(id: string, at: Date): Promise<boolean> {
      const { count } = await db.mfaChallenge.deleteMany({ where: { id, expiresAt: { gt: at } } });
      return count === 1;
    },
    deleteChallengesOf: (userId: string, purpose: ChallengePurpose) => db.mfaChallenge.deleteMany({ where: { userId, purpose } }),
    deleteExpiredChallenges: async (at: Date) => (await db.mfaChallenge.deleteMany({ where: { expiresAt: { lte: at } } })).count,

    findUser: (id: string) =>
      db.user.findUnique({ where: { id }, select: { id: true, username: true, displayName: true, roleName: true, createdAt: true, disabledAt: true } }),
    groupIdsOf: async (userId: string) => (await db.userGroupMember.findMany({ where: { userId }, select: { groupId: true } })).map((m) => m.groupId),
    existingGroupIds: async (ids: string[]) => (await db.userGroup.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((g) => g.id),
    getSetting: async (key: string) => (await db.systemSetting.findUnique({ where: { key } }))?.value ?? null,
    putSetting: (key: string, value: string) => db.systemSetting.upsert({ where: { key }, create: { key, value }, update: { value } }),
    /** Serializes changes to one user's factors (the last one cannot be removed while the policy requires one). */
    lockUser: (userId: string) => db.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`,
    /** Ends every session of the user (an admin reset of its factors). */
    deleteSessionsOf: (userId: string) => db.session.deleteMany({ where: { userId } }),
  };
}

export const createMfaRepo = (db: DbClient) => transactional(db, mfaRepo);
export type MfaRepo = ReturnType<typeof createMfaRepo>;
/** The repo inside a transaction (what `transaction(fn)` hands `fn`). */
export type MfaRepoInTx = ReturnType<typeof mfaRepo>;
export type MfaFactorRow = Awaited<ReturnType<MfaRepo['createTotpFactorWithId']>>;
