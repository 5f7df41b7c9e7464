/** The console's home: counts over what the caller may see, the last day's activity, Quick Password Saving. */
export { createDashboardRepo, type DashboardRepo } from './dashboard.repo.js';
export { createDashboardService, type DashboardService } from './dashboard.service.js';
export { dashboardBindings } from './dashboard.routes.js';
