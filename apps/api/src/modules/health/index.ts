/** Liveness, readiness and the metrics endpoint. */
export { createHealthRepo, type HealthRepo } from './health.repo.js';
export { createHealthService, type HealthService } from './health.service.js';
export { healthRouter } from './health.routes.js';
export { createMetricsApp, metricsRouter } from './metrics.routes.js';
