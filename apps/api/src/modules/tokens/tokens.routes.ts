import { tokenRoutes, userTokenRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { TokensService } from './tokens.service.js';

export function tokenBindings(deps: { tokens: TokensService }) {
  return [
    bind(tokenRoutes.create, ({ ctx, body }) => deps.tokens.create(ctx, body)),
    bind(tokenRoutes.list, ({ ctx, query }) => deps.tokens.list(ctx, query.limit, query.cursor)),
    bind(tokenRoutes.revoke, ({ ctx, params }) => deps.tokens.revoke(ctx, params.id)),
    bind(userTokenRoutes.list, ({ params, query }) => deps.tokens.listOfUser(params.id, query.limit, query.cursor)),
    bind(userTokenRoutes.revoke, ({ ctx, params }) => deps.tokens.revokeOfUser(ctx, params.id, params.tokenId)),
  ];
}
