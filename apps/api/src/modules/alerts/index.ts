/** Alerts: rules that watch rotation, sync, unverified changes, overdue checkouts and host keys; what they found, per person read or not. */
export { createAlertsRepo, type AlertsRepo } from './alerts.repo.js';
export { createAlertsService, type AlertsService } from './alerts.service.js';
export { alertBindings } from './alerts.routes.js';
export { createAlertEngine, DEFAULT_ALERT_ENGINE_OPTIONS, type AlertEngine, type AlertEngineOptions } from './alert-engine.js';
export type { JobEndedNotice } from './alert-rules.js';
