import { accountRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { AccountsService } from './accounts.service.js';

export function accountBindings(deps: { accounts: AccountsService }) {
  return [
    bind(accountRoutes.list, ({ ctx, query }) => deps.accounts.list(ctx, query)),
    bind(accountRoutes.create, ({ ctx, body }) => deps.accounts.create(ctx, body)),
    bind(accountRoutes.get, ({ ctx, params }) => deps.accounts.get(ctx, params.id)),
    bind(accountRoutes.update, ({ ctx, params, body }) => deps.accounts.update(ctx, params.id, body)),
    bind(accountRoutes.delete, ({ ctx, params }) => deps.accounts.delete(ctx, params.id)),
  ];
}
