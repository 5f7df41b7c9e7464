import express, { Router, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { authenticate } from '../../http/authenticate.js';
import { problemHandler, routeNotFound } from '../../http/problem.js';
import { requestContext } from '../../http/request-context.js';
import { AppError } from '../../lib/app-error.js';
import type { AuthService } from '../auth/auth.service.js';

const serveMetrics =
  (registry: Registry): RequestHandler =>
  async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(registry.contentType).send(await registry.metrics());
  };

/**
 * `/metrics` on the main port: for a session or API token with `metrics.view`. The figures
 * reveal no secret but do reveal activity (routes, rates, errors), so they are not public there.
 */
export function metricsRouter(deps: { registry: Registry; auth: AuthService }): Router {
  const router = Router();
  const requireMetricsView: RequestHandler = (req, _res, next) => {
    const actor = req.ctx.actor;
    if (!actor) throw new AppError('UNAUTHENTICATED', 'Send an API token with the permission metrics.view');
    if (!actor.permissions.has('metrics.view')) throw new AppError('FORBIDDEN', 'You lack the permission metrics.view');
    next();
  };
  router.get('/metrics', authenticate(deps.auth), requireMetricsView, serveMetrics(deps.registry));
  return router;
}

/**
 * The app of PASSMAN_METRICS_LISTEN: `/metrics` alone, without authentication, for Prometheus on
 * a private network. Everything else is 404.
 */
export function createMetricsApp(deps: { registry: Registry; logger: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext());
  app.get('/metrics', serveMetrics(deps.registry));
  app.use(routeNotFound);
  app.use(problemHandler(deps.logger));
  return app;
}
