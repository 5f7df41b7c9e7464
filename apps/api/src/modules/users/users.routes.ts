import { userRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { UsersService } from './users.service.js';

export function userBindings(deps: { users: UsersService }) {
  return [
    bind(userRoutes.list, ({ query }) => deps.users.list(query)),
    bind(userRoutes.create, ({ ctx, body }) => deps.users.create(ctx, body)),
    bind(userRoutes.get, ({ params }) => deps.users.get(params.id)),
    bind(userRoutes.update, ({ ctx, params, body }) => deps.users.update(ctx, params.id, body)),
  ];
}
