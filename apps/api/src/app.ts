import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { authenticate } from './http/authenticate.js';
import { mountRoutes, type Binding } from './http/bind-routes.js';
import { problemHandler, routeNotFound } from './http/problem.js';
import { requestContext } from './http/request-context.js';
import type { Metrics } from './lib/metrics.js';
import type { AuthService } from './modules/auth/index.js';
import { healthRouter, metricsRouter, type HealthService } from './modules/health/index.js';
import { openApiRouter } from './modules/openapi/index.js';

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  health: HealthService;
  /** Every /api/v1 route with its handler (see services.ts). */
  bindings: Binding[];
  version: string;
  trustProxy: boolean | number | string;
  /** PassMan serves HTTPS itself: send HSTS. */
  tls?: boolean;
  /**
   * `main-port` (default): /metrics here, for `metrics.view`. `separate`: it is served by its
   * own listener (PASSMAN_METRICS_LISTEN) and is 404 here.
   */
  metricsOn?: 'main-port' | 'separate';
  /** Folder of the built web app; served with an SPA fallback when it exists. */
  webDist?: string;
  /** Tests check every response against its contract. */
  validateResponses?: boolean;
}

/** Builds the Express app from its dependencies. Does not listen (main.ts does). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext());
  app.use(deps.metrics.middleware);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req) => (req as express.Request).ctx.requestId,
      customProps: (req) => ({ requestId: (req as express.Request).ctx.requestId }),
      // Log the path, never the query string (it may carry a cursor or filter text).
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
      // One frame policy: no page of PassMan may be framed (clickjacking), said both ways, since
      // old browsers know only X-Frame-Options (helmet's default there is SAMEORIGIN).
      xFrameOptions: { action: 'deny' },
      // Browsers honour HSTS only over HTTPS; behind a TLS-terminating proxy, the proxy sends it.
      strictTransportSecurity: deps.tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    }),
  );

  app.use(healthRouter({ health: deps.health }));
  if ((deps.metricsOn ?? 'main-port') === 'main-port') app.use(metricsRouter({ registry: deps.metrics.registry, auth: deps.auth }));
  else app.all('/metrics', routeNotFound);
  app.use('/api', openApiRouter({ version: deps.version }));

  const api = Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: '256kb', strict: true }));
  api.use(authenticate(deps.auth));
  mountRoutes(api, deps.bindings, { validateResponses: deps.validateResponses ?? false });
  api.use(routeNotFound);
  app.use('/api/v1', api);
  app.use('/api', routeNotFound);

  if (deps.webDist && existsSync(join(deps.webDist, 'index.html'))) {
    const webDist = deps.webDist;
    app.use(express.static(webDist, { index: false, maxAge: '1h' }));
    // SPA fallback: any other GET renders the app, which routes on the client.
    app.get(/^(?!\/api\/).*/, (_req, res) => {
      res.sendFile(join(webDist, 'index.html'));
    });
  }

  app.use(routeNotFound);
  app.use(problemHandler(deps.logger));
  return app;
}
