import { approvalRoutes, approvalRuleRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { ApprovalsService } from './approvals.service.js';

export function approvalBindings(deps: { approvals: ApprovalsService }) {
  const { approvals } = deps;
  return [
    bind(approvalRuleRoutes.folder.get, ({ ctx, params }) => approvals.rules(ctx, { type: 'folder', id: params.id })),
    bind(approvalRuleRoutes.folder.set, ({ ctx, params, body }) => approvals.setRules(ctx, { type: 'folder', id: params.id }, body)),
    bind(approvalRuleRoutes.account.get, ({ ctx, params }) => approvals.rules(ctx, { type: 'account', id: params.id })),
    bind(approvalRuleRoutes.account.set, ({ ctx, params, body }) => approvals.setRules(ctx, { type: 'account', id: params.id }, body)),
    bind(approvalRoutes.create, ({ ctx, body }) => approvals.request(ctx, body)),
    bind(approvalRoutes.list, ({ ctx, query }) => approvals.list(ctx, query)),
    // Before `get`: its path would otherwise take "waiting-count" for an id.
    bind(approvalRoutes.waitingCount, ({ ctx }) => approvals.waitingCount(ctx)),
    bind(approvalRoutes.get, ({ ctx, params }) => approvals.get(ctx, params.id)),
    bind(approvalRoutes.approve, ({ ctx, params, body }) => approvals.approve(ctx, params.id, body)),
    bind(approvalRoutes.deny, ({ ctx, params, body }) => approvals.deny(ctx, params.id, body)),
    bind(approvalRoutes.cancel, ({ ctx, params }) => approvals.cancel(ctx, params.id)),
  ];
}
