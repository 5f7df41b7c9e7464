import { webhookRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { WebhooksService } from './webhooks.service.js';

export function webhookBindings(deps: { webhooks: WebhooksService }) {
  const { webhooks } = deps;
  return [
    bind(webhookRoutes.list, () => webhooks.list()),
    bind(webhookRoutes.create, ({ ctx, body }) => webhooks.create(ctx, body)),
    bind(webhookRoutes.get, ({ ctx, params }) => webhooks.get(ctx, params.id)),
    bind(webhookRoutes.update, ({ ctx, params, body }) => webhooks.update(ctx, params.id, body)),
    bind(webhookRoutes.delete, ({ ctx, params }) => webhooks.delete(ctx, params.id)),
    bind(webhookRoutes.deliveries, ({ ctx, params, query }) => webhooks.deliveries(ctx, params.id, query)),
    bind(webhookRoutes.test, ({ ctx, params }) => webhooks.test(ctx, params.id)),
  ];
}
