import { dashboardRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { DashboardService } from './dashboard.service.js';

export function dashboardBindings(deps: { dashboard: DashboardService }) {
  return [
    bind(dashboardRoutes.summary, ({ ctx }) => deps.dashboard.summary(ctx)),
    bind(dashboardRoutes.activity, ({ ctx }) => deps.dashboard.activity(ctx)),
    bind(dashboardRoutes.quickSave, ({ ctx, body }) => deps.dashboard.quickSave(ctx, body)),
  ];
}
