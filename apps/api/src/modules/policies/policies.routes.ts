import { policyRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { PoliciesService } from './policies.service.js';

export function policyBindings(deps: { policies: PoliciesService }) {
  return [
    bind(policyRoutes.list, ({ query }) => deps.policies.list(query.limit, query.cursor)),
    bind(policyRoutes.create, ({ ctx, body }) => deps.policies.create(ctx, body)),
    bind(policyRoutes.get, ({ params }) => deps.policies.get(params.id)),
    bind(policyRoutes.update, ({ ctx, params, body }) => deps.policies.update(ctx, params.id, body)),
    bind(policyRoutes.delete, ({ ctx, params }) => deps.policies.delete(ctx, params.id)),
  ];
}
