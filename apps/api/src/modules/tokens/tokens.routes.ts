import { tokenRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { TokensService } from './tokens.service.js';

export function tokenBindings(deps: { tokens: TokensService }) {
  return [
    bind(tokenRoutes.create, ({ ctx, body }) => deps.tokens.create(ctx, body)),
    bind(tokenRoutes.list, ({ ctx }) => deps.tokens.list(ctx)),
    bind(tokenRoutes.revoke, ({ ctx, params }) => deps.tokens.revoke(ctx, params.id)),
  ];
}
