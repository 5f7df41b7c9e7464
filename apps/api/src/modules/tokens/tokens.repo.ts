import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

function tokensRepo(db: DbClient) {
  return {
    create: (data: { name: string; prefix: string; tokenHash: string; scopes: string[]; userId: string; expiresAt: Date }) =>
      db.apiToken.create({ data }),
    listOfUser: (userId: string) => db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } }),
    findOfUser: (id: string, userId: string) => db.apiToken.findFirst({ where: { id, userId } }),
    revoke: (id: string, at: Date) => db.apiToken.update({ where: { id }, data: { revokedAt: at } }),
  };
}

export const createTokensRepo = (db: DbClient) => transactional(db, tokensRepo);
export type TokensRepo = ReturnType<typeof createTokensRepo>;
export type TokenRow = Awaited<ReturnType<TokensRepo['create']>>;
