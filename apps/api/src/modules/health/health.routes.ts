import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { HealthService } from './health.service.js';

/** Probes and metrics, outside /api/v1 and without authentication (they reveal no data). */
export function healthRouter(deps: { health: HealthService; registry: Registry }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await deps.health.readiness();
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'not-ready', ...readiness.checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });
  return router;
}
