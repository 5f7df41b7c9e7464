import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { olderThan, type CreatedKey } from '../../lib/newest-first.js';

const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

function tokensRepo(db: DbClient) {
  return {
    create: (data: { name: string; prefix: string; tokenHash: string; scopes: string[]; userId: string; expiresAt: Date }) =>
      db.apiToken.create({ data }),
    listOfUser: (userId: string) => db.apiToken.findMany({ where: { userId }, orderBy: NEWEST_FIRST }),
    pageOfUser: (userId: string, limit: number, after?: CreatedKey) =>
      db.apiToken.findMany({ where: { userId, ...olderThan(after) }, orderBy: NEWEST_FIRST, take: limit }),
    findOfUser: (id: string, userId: string) => db.apiToken.findFirst({ where: { id, userId } }),
    userExists: async (id: string) => (await db.user.count({ where: { id } })) > 0,
    /** Revokes the token unless it already is (a racing revocation keeps its own reason). */
    revoke: (id: string, at: Date, reason: string) => db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } }),

    /**
     * Holds the owner's row (FOR SHARE) until the caller's transaction ends, so a password, role
     * or status change (which revokes every token of the user) commits before or after, never
     * between this check and the new token; true when the owner is enabled and the session or
     * token making the request still stands.
     */
    async ownerStillAllows(userId: string, by: { sessionId?: string; tokenId?: string }, now: Date): Promise<boolean> {
      const rows = await db.$queryRaw<{ disabled_at: Date | null }[]>`SELECT disabled_at FROM users WHERE id = ${userId}::uuid FOR SHARE`;
      if (!rows[0] || rows[0].disabled_at) return false;
      if (by.sessionId) return (await db.session.count({ where: { id: by.sessionId, userId } })) > 0;
      if (by.tokenId) return (await db.apiToken.count({ where: { id: by.tokenId, userId, revokedAt: null, expiresAt: { gt: now } } })) > 0;
      return false;
    },
  };
}

export const createTokensRepo = (db: DbClient) => transactional(db, tokensRepo);
export type TokensRepo = ReturnType<typeof createTokensRepo>;
export type TokenRow = Awaited<ReturnType<TokensRepo['create']>>;
