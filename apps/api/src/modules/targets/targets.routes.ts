import { targetRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { TargetsService } from './targets.service.js';

export function targetBindings(deps: { targets: TargetsService; accounts: AccountsService }) {
  return [
    bind(targetRoutes.list, ({ ctx, query }) => deps.targets.list(ctx, query)),
    bind(targetRoutes.create, ({ ctx, body }) => deps.targets.create(ctx, body)),
    bind(targetRoutes.get, ({ ctx, params }) => deps.targets.get(ctx, params.id)),
    bind(targetRoutes.update, ({ ctx, params, body }) => deps.targets.update(ctx, params.id, body)),
    bind(targetRoutes.delete, ({ ctx, params }) => deps.targets.delete(ctx, params.id)),
    bind(targetRoutes.accounts, ({ ctx, params, query }) => deps.accounts.listOfTarget(ctx, params.id, query)),
  ];
}
