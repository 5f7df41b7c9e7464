import type { CreateTokenRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../auth/actor.js';
import { hashToken, randomToken } from '../auth/secret-tokens.js';
import { presentToken } from './tokens.presenter.js';
import type { TokensRepo } from './tokens.repo.js';

/** Visible prefix of every token, so leaked tokens are easy to spot (secret scanners, logs). */
export const TOKEN_PREFIX = 'pm_';

export function createTokensService(deps: { repo: TokensRepo; audit: AuditService; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async create(ctx: RequestContext, input: CreateTokenRequest) {
      const actor = ctx.actor!;
      const beyond = input.scopes.filter((s) => !actor.permissions.has(s));
      if (beyond.length > 0) throw new AppError('FORBIDDEN', `A token cannot have permissions you lack: ${beyond.join(', ')}`);
      const token = randomToken(TOKEN_PREFIX);
      const row = await deps.repo.transaction(async (repo, tx) => {
        const created = await repo.create({
          name: input.name,
          prefix: token.slice(0, TOKEN_PREFIX.length + 6),
          tokenHash: hashToken(token),
          scopes: [...new Set(input.scopes)],
          userId: actor.userId,
          expiresAt: new Date(now().getTime() + input.expiresInDays * 86_400_000),
        });
        await deps.audit.record(
          ctx,
          {
            action: 'token.create',
            objectType: 'api_token',
            objectId: created.id,
            details: { name: created.name, scopes: created.scopes, expiresAt: created.expiresAt.toISOString() },
          },
          tx,
        );
        return created;
      });
      return { ...presentToken(row), token };
    },

    async list(ctx: RequestContext) {
      return { items: (await deps.repo.listOfUser(ctx.actor!.userId)).map(presentToken) };
    },

    async revoke(ctx: RequestContext, id: string) {
      const row = await deps.repo.findOfUser(id, ctx.actor!.userId);
      if (!row) throw notFound('API token');
      await deps.repo.transaction(async (repo, tx) => {
        if (!row.revokedAt) await repo.revoke(id, now());
        await deps.audit.record(ctx, { action: 'token.revoke', objectType: 'api_token', objectId: id, details: { name: row.name } }, tx);
      });
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
