import { alertRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { AlertsService } from './alerts.service.js';

export function alertBindings(deps: { alerts: AlertsService }) {
  const { alerts } = deps;
  return [
    bind(alertRoutes.list, ({ ctx, query }) => alerts.list(ctx, query)),
    // Before `get`: its path would otherwise take "unread-count" for an id.
    bind(alertRoutes.unreadCount, ({ ctx }) => alerts.unreadCount(ctx)),
    bind(alertRoutes.readAll, ({ ctx }) => alerts.readAll(ctx)),
    bind(alertRoutes.get, ({ ctx, params }) => alerts.get(ctx, params.id)),
    bind(alertRoutes.acknowledge, ({ ctx, params }) => alerts.acknowledge(ctx, params.id)),
  ];
}
