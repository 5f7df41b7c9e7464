import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  // The event-loop delay sampled every 100 ms, not prom-client's 10: its timer woke an idle API
  // 100 times a second, ≈ 5 ms of CPU each second, for a histogram scraped every few seconds.
  collectDefaultMetrics({ register: registry, prefix: 'passman_', eventLoopMonitoringPrecision: 100 });
  const httpDuration = new Histogram({
    name: 'passman_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  /** Times every request, labelled by the matched route pattern (never the raw URL: ids would explode cardinality). */
  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      const route = typeof res.locals.routePattern === 'string' ? res.locals.routePattern : req.route ? String(req.route.path) : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  return { registry, middleware };
}

export type Metrics = ReturnType<typeof createMetrics>;
