import { policyRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { PoliciesService } from './policies.service.js';

export function policyBindings(deps: { policies: PoliciesService }) {
  return [
    bind(policyRoutes.list, ({ ctx, query }) => deps.policies.list(ctx, query.limit, query.cursor)),
    bind(policyRoutes.create, ({ ctx, body }) => deps.policies.create(ctx, body)),
    bind(policyRoutes.get, ({ ctx, params }) => deps.policies.get(ctx, params.id)),
    bind(policyRoutes.update, ({ ctx, params, body }) => deps.policies.update(ctx, params.id, body)),
    bind(policyRoutes.delete, ({ ctx, params }) => deps.policies.delete(ctx, params.id)),
  ];
}
