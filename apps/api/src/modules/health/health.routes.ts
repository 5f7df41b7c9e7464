import { Router } from 'express';
import type { HealthService } from './health.service.js';

/** Liveness and readiness probes, outside /api/v1 and without authentication (they reveal no data). */
export function healthRouter(deps: { health: HealthService }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await deps.health.readiness();
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not-ready', ...readiness.checks });
  });
  return router;
}
