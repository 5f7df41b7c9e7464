import { accountRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { AccountsService } from './accounts.service.js';

export function accountBindings(deps: { accounts: AccountsService }) {
  return [
    bind(accountRoutes.list, ({ query }) => deps.accounts.list(query)),
    bind(accountRoutes.create, ({ ctx, body }) => deps.accounts.create(ctx, body)),
    bind(accountRoutes.get, ({ params }) => deps.accounts.get(params.id)),
    bind(accountRoutes.update, ({ ctx, params, body }) => deps.accounts.update(ctx, params.id, body)),
    bind(accountRoutes.delete, ({ ctx, params }) => deps.accounts.delete(ctx, params.id)),
  ];
}
