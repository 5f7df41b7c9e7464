import { sessionRoutes, userSessionRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { SessionsService } from './sessions.service.js';

export function sessionBindings(deps: { sessions: SessionsService }) {
  return [
    bind(sessionRoutes.listMine, ({ ctx, query }) => deps.sessions.listMine(ctx, query.limit, query.cursor)),
    bind(sessionRoutes.endOthers, ({ ctx }) => deps.sessions.endMyOthers(ctx)),
    bind(sessionRoutes.endMine, ({ ctx, params }) => deps.sessions.endMine(ctx, params.id)),
    bind(userSessionRoutes.list, ({ ctx, params, query }) => deps.sessions.listOfUser(ctx, params.id, query.limit, query.cursor)),
    bind(userSessionRoutes.endAll, ({ ctx, params }) => deps.sessions.endAllOfUser(ctx, params.id)),
    bind(userSessionRoutes.end, ({ ctx, params }) => deps.sessions.endOfUser(ctx, params.id, params.sessionId)),
  ];
}
