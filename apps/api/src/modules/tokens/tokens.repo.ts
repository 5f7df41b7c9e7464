import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { olderThan, type CreatedKey } from '../../lib/newest-first.js';

const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

function tokensRepo(db: DbClient) {
  return {
    create: (data: { name: string; prefix: string; tokenHash: string; scopes: string[]; userId: string; expiresAt: Date; createdByTokenId: string | null }) =>
      db.apiToken.create({ data }),
    pageOfUser: (userId: string, limit: number, after?: CreatedKey) =>
      db.apiToken.findMany({ where: { userId, ...olderThan(after) }, orderBy: NEWEST_FIRST, take: limit }),
    findOfUser: (id: string, userId: string) => db.apiToken.findFirst({ where: { id, userId } }),
    userExists: async (id: string) => (await db.user.count({ where: { id } })) > 0,
    /**
     * Revokes the token unless it already is (a racing revocation keeps its own reason), then
     * every token created from it, and from those, that still lives; returns the descendants
     * revoked. The token's row is locked first: a child being created from it (which holds the
     * row FOR SHARE, see ownerStillAllows) commits before, and is found by the second statement,
     * or waits and then finds its parent revoked.
     */
    async revokeWithDescendants(id: string, at: Date, reason: string): Promise<string[]> {
      await db.$queryRaw`SELECT id FROM api_tokens WHERE id = ${id}::uuid FOR UPDATE`;
      await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at, revokedReason: reason } });
      const rows = await db.$queryRaw<{ id: string }[]>`
        WITH RECURSIVE descendants AS (
          SELECT id FROM api_tokens WHERE created_by_token_id = ${id}::uuid
          UNION
          SELECT t.id FROM api_tokens t JOIN descendants d ON t.created_by_token_id = d.id
        )
        UPDATE api_tokens SET revoked_at = ${at}, revoked_reason = ${reason}
         WHERE id IN (SELECT id FROM descendants) AND revoked_at IS NULL
        RETURNING id::text AS id`;
      return rows.map((r) => r.id).sort();
    },

    /**
     * Holds the owner's row (FOR SHARE) until the caller's transaction ends, so a password, role
     * or status change (which revokes every token of the user) commits before or after, never
     * between this check and the new token, and likewise the creating token's row against its
     * own revocation; true when the owner is enabled and the session or token making the
     * request still stands.
     */
    async ownerStillAllows(userId: string, by: { sessionId?: string; tokenId?: string }, now: Date): Promise<boolean> {
      const rows = await db.$queryRaw<{ disabled_at: Date | null }[]>`SELECT disabled_at FROM users WHERE id = ${userId}::uuid FOR SHARE`;
      if (!rows[0] || rows[0].disabled_at) return false;
      if (by.sessionId) return (await db.session.count({ where: { id: by.sessionId, userId } })) > 0;
      if (by.tokenId) {
        // FOR SHARE: a revocation of this token waits for the new token, then revokes it too.
        const live = await db.$queryRaw<{ id: string }[]>`
          SELECT id FROM api_tokens WHERE id = ${by.tokenId}::uuid AND user_id = ${userId}::uuid AND revoked_at IS NULL AND expires_at > ${now} FOR SHARE`;
        return live.length > 0;
      }
      return false;
    },
  };
}

export const createTokensRepo = (db: DbClient) => transactional(db, tokensRepo);
export type TokensRepo = ReturnType<typeof createTokensRepo>;
export type TokenRow = Awaited<ReturnType<TokensRepo['create']>>;
