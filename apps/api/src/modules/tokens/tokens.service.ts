import type { CreateTokenRequest, TokenRevocationReason } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeNewestFirst, newestFirstPage } from '../../lib/newest-first.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import { hashToken, randomToken } from '../auth/secret-tokens.js';
import { presentToken } from './tokens.presenter.js';
import type { TokensRepo } from './tokens.repo.js';
import type { StepUpGuard } from '../step-up/index.js';

/** Visible prefix of every token, so leaked tokens are easy to spot (secret scanners, logs). */
export const TOKEN_PREFIX = 'pm_';

const DEFAULT_LIFETIME_DAYS = 90;
const DAY_MS = 86_400_000;

export function createTokensService(deps: {
  repo: TokensRepo;
  /** A token made from a browser session needs a fresh authentication; a token making one is never asked. */
  stepUp: StepUpGuard;
  audit: AuditService;
  /** PASSMAN_TOKENS_CAN_CREATE_TOKENS */
  tokensCanCreateTokens: boolean;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  async function revoke(ctx: RequestContext, row: { id: string; name: string; userId: string; revokedAt: Date | null }, reason: TokenRevocationReason) {
    await deps.repo.transaction(async (repo, tx) => {
      // Tokens it created go with it: a leaked token must not live on through a child it made.
      const descendants = await repo.revokeWithDescendants(row.id, now(), reason);
      await deps.audit.record(
        ctx,
        {
          action: 'token.revoke',
          objectType: 'api_token',
          objectId: row.id,
          details: { name: row.name, userId: row.userId, reason, ...(descendants.length > 0 ? { descendantsRevoked: descendants } : {}) },
        },
        tx,
      );
    });
  }

  async function listOfUser(userId: string, limit: number, cursor?: string) {
    const after = decodeNewestFirst('user-tokens', cursor);
    if (!(await deps.repo.userExists(userId))) throw notFound('User');
    return newestFirstPage('user-tokens', await deps.repo.pageOfUser(userId, limit + 1, after), limit, presentToken);
  }

  return {
    /**
     * A token for the caller. A token creating one passes on no scope it lacks and no more
     * time than it has left (or, by the setting, may not create tokens at all).
     */
    async create(ctx: RequestContext, input: CreateTokenRequest) {
      const actor = ctx.actor!;
      const byToken = actor.kind === 'token';
      if (byToken && !deps.tokensCanCreateTokens) {
        throw new AppError('FORBIDDEN', 'API tokens cannot create tokens here (PASSMAN_TOKENS_CAN_CREATE_TOKENS=false); create it in a browser session');
      }
      const beyond = input.scopes.filter((s) => !actor.permissions.has(s));
      if (beyond.length > 0) {
        throw new AppError('FORBIDDEN', `A token cannot have permissions ${byToken ? 'the token creating it lacks' : 'you lack'}: ${beyond.join(', ')}`);
      }
      const at = now();
      const ceiling = byToken ? actor.tokenExpiresAt : undefined;
      let expiresAt = new Date(at.getTime() + (input.expiresInDays ?? DEFAULT_LIFETIME_DAYS) * DAY_MS);
      if (ceiling && expiresAt > ceiling) {
        if (input.expiresInDays !== undefined) {
          throw new AppError('FORBIDDEN', `A token cannot create a token that outlives it (it expires at ${ceiling.toISOString()})`);
        }
        expiresAt = ceiling;
      }
      // A token outlives the session and works without a second factor: it needs a fresh one.
      await deps.stepUp.requireSecondFactor(ctx);
      const token = randomToken(TOKEN_PREFIX);
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.ownerStillAllows(actor.userId, { sessionId: actor.sessionId, tokenId: actor.tokenId }, at))) {
          throw new AppError('UNAUTHENTICATED', 'Your session or token ended while the token was being created');
        }
        const created = await repo.create({
          name: input.name,
          prefix: token.slice(0, TOKEN_PREFIX.length + 6),
          tokenHash: hashToken(token),
          scopes: [...new Set(input.scopes)],
          userId: actor.userId,
          expiresAt,
          createdByTokenId: actor.tokenId ?? null,
        });
        await deps.audit.record(
          ctx,
          {
            action: 'token.create',
            objectType: 'api_token',
            objectId: created.id,
            details: {
              name: created.name,
              scopes: created.scopes,
              expiresAt: created.expiresAt.toISOString(),
              ...(actor.tokenId ? { createdWithTokenId: actor.tokenId } : {}),
            },
          },
          tx,
        );
        return created;
      });
      return { ...presentToken(row), token };
    },

    async revoke(ctx: RequestContext, id: string) {
      const row = await deps.repo.findOfUser(id, ctx.actor!.userId);
      if (!row) throw notFound('API token');
      await revoke(ctx, row, 'owner');
    },

    /** The caller's own tokens, newest first. */
    list: (ctx: RequestContext, limit: number, cursor?: string) => listOfUser(ctx.actor!.userId, limit, cursor),

    /** Any user's tokens, newest first (users.manage). */
    listOfUser,

    /** Revokes a token of `userId` (users.manage); a token of anyone else is not found. */
    async revokeOfUser(ctx: RequestContext, userId: string, tokenId: string) {
      const row = await deps.repo.findOfUser(tokenId, userId);
      if (!row) throw notFound('API token');
      await revoke(ctx, row, 'admin');
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
