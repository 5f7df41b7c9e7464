import { AppError, notFound } from '../../lib/app-error.js';
import { decodeNewestFirst, newestFirstPage } from '../../lib/newest-first.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import type { SessionCache } from '../auth/session-cache.js';
import { presentSession } from './sessions.presenter.js';
import type { SessionsRepo } from './sessions.repo.js';

/** Browser sessions: one's own (any user) and any user's (users.manage). */
export function createSessionsService(deps: { repo: SessionsRepo; audit: AuditService; sessionCache: SessionCache }) {
  /** Tokens are for integrators: a token of any scope must not end its owner's browser sessions. */
  const sessionActor = (ctx: RequestContext): Actor => {
    const actor = ctx.actor!;
    if (actor.kind !== 'session') throw new AppError('FORBIDDEN', 'Only a browser session can list or end sessions');
    return actor;
  };

  async function page(ctx: RequestContext, scope: string, userId: string, limit: number, cursor?: string) {
    const after = decodeNewestFirst(scope, cursor);
    const rows = await deps.repo.pageOfUser(userId, limit + 1, after);
    return newestFirstPage(scope, rows, limit, (row) => presentSession(row, ctx.actor?.sessionId));
  }

  async function end(ctx: RequestContext, userId: string, sessionId: string) {
    await deps.repo.transaction(async (repo, tx) => {
      if ((await repo.deleteOfUser(sessionId, userId)) === 0) throw notFound('Session');
      await deps.audit.record(ctx, { action: 'session.end', objectType: 'session', objectId: sessionId, details: { userId } }, tx);
    });
    // After the commit: a request that read the session before it must not cache it again.
    deps.sessionCache.invalidate();
  }

  return {
    listMine: (ctx: RequestContext, limit: number, cursor?: string) => page(ctx, 'my-sessions', sessionActor(ctx).userId, limit, cursor),

    endMine: (ctx: RequestContext, sessionId: string) => end(ctx, sessionActor(ctx).userId, sessionId),

    /** Every session of the caller but the one it is using ("log out everywhere else"). */
    async endMyOthers(ctx: RequestContext) {
      const actor = sessionActor(ctx);
      const ended = await deps.repo.transaction(async (repo, tx) => {
        const count = await repo.deleteOthersOfUser(actor.userId, actor.sessionId!);
        await deps.audit.record(ctx, { action: 'session.end_others', objectType: 'user', objectId: actor.userId, details: { ended: count } }, tx);
        return count;
      });
      deps.sessionCache.invalidate();
      return { ended };
    },

    async listOfUser(ctx: RequestContext, userId: string, limit: number, cursor?: string) {
      if (!(await deps.repo.userExists(userId))) throw notFound('User');
      return page(ctx, 'user-sessions', userId, limit, cursor);
    },

    /** Ends a session of `userId`; a session of anyone else is not found. */
    endOfUser: (ctx: RequestContext, userId: string, sessionId: string) => end(ctx, userId, sessionId),

    async endAllOfUser(ctx: RequestContext, userId: string) {
      const ended = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.userExists(userId))) throw notFound('User');
        const count = await repo.deleteAllOfUser(userId);
        await deps.audit.record(ctx, { action: 'session.end_all', objectType: 'user', objectId: userId, details: { ended: count } }, tx);
        return count;
      });
      deps.sessionCache.invalidate();
      return { ended };
    },
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
