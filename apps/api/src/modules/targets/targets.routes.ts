import { targetRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { TargetsService } from './targets.service.js';

export function targetBindings(deps: { targets: TargetsService; accounts: AccountsService }) {
  return [
    bind(targetRoutes.list, ({ query }) => deps.targets.list(query)),
    bind(targetRoutes.create, ({ ctx, body }) => deps.targets.create(ctx, body)),
    bind(targetRoutes.get, ({ params }) => deps.targets.get(params.id)),
    bind(targetRoutes.update, ({ ctx, params, body }) => deps.targets.update(ctx, params.id, body)),
    bind(targetRoutes.delete, ({ ctx, params }) => deps.targets.delete(ctx, params.id)),
    bind(targetRoutes.accounts, ({ params, query }) => deps.accounts.listOfTarget(params.id, query)),
  ];
}
