import { groupRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { GroupsService } from './groups.service.js';

export function groupBindings(deps: { groups: GroupsService }) {
  return [
    bind(groupRoutes.list, ({ query }) => deps.groups.list(query)),
    bind(groupRoutes.create, ({ ctx, body }) => deps.groups.create(ctx, body)),
    bind(groupRoutes.get, ({ params }) => deps.groups.get(params.id)),
    bind(groupRoutes.update, ({ ctx, params, body }) => deps.groups.update(ctx, params.id, body)),
    bind(groupRoutes.delete, ({ ctx, params }) => deps.groups.delete(ctx, params.id)),
    bind(groupRoutes.addMember, ({ ctx, params }) => deps.groups.addMember(ctx, params.id, params.userId)),
    bind(groupRoutes.removeMember, ({ ctx, params }) => deps.groups.removeMember(ctx, params.id, params.userId)),
  ];
}
