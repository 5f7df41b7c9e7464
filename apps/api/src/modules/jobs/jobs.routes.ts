import { hasJobSettled, jobRoutes, resetOutcomeRoutes } from '@passman/contracts';
import { bind, bindStream } from '../../http/bind-routes.js';
import { streamChanges } from '../../http/sse-stream.js';
import type { StreamLimiter } from '../../http/stream-limiter.js';
import type { Actor } from '../../lib/actor.js';
import type { AuthService } from '../auth/auth.service.js';
import type { CheckoutService } from '../checkout/checkout.service.js';
import type { JobEventHub } from './job-events.js';
import type { JobsService } from './jobs.service.js';
import type { ResetOutcomeService } from './reset-outcome.service.js';

export function jobBindings(deps: {
  jobs: JobsService;
  resetOutcome: ResetOutcomeService;
  checkout: CheckoutService;
  events: JobEventHub;
  streams: StreamLimiter;
  auth: Pick<AuthService, 'stillValid'>;
}) {
  // A stream outlives the request's authentication: it stops once the session or token has ended.
  const stillAllowed = (actor: Actor) => () => deps.auth.stillValid(actor);
  return [
    bind(jobRoutes.reset, ({ ctx, params, body }) => deps.jobs.requestReset(ctx, params.id, body)),
    bind(jobRoutes.check, ({ ctx, params }) => deps.jobs.requestCheck(ctx, params.id)),
    bind(jobRoutes.checkout, ({ ctx, params, body }) => deps.checkout.checkout(ctx, params.id, body)),
    bind(jobRoutes.checkin, ({ ctx, params }) => deps.checkout.checkin(ctx, params.id)),
    bind(jobRoutes.bulk, ({ ctx, body }) => deps.jobs.bulk(ctx, body)),
    bind(jobRoutes.list, ({ ctx, query }) => {
      const { limit, cursor, ...filter } = query;
      return deps.jobs.list(ctx, filter, limit, cursor);
    }),
    bind(jobRoutes.get, ({ ctx, params }) => deps.jobs.get(ctx, params.id)),
    bind(resetOutcomeRoutes.confirm, ({ ctx, params, body }) => deps.resetOutcome.confirm(ctx, params.id, body)),
    bindStream(jobRoutes.events, async ({ actor, ctx, params, res }) => {
      await deps.jobs.get(ctx, params.id); // 404 before the stream starts
      deps.streams.admit(actor, res); // 429 beyond the caps
      streamChanges(res, deps.events, {
        event: 'job',
        stillAllowed: stillAllowed(actor),
        matches: (e) => e.jobId === params.id,
        // Rendered with the caller's rights each time: a right revoked meanwhile ends the stream with a 404 event.
        render: () => deps.jobs.get(ctx, params.id),
        finished: hasJobSettled,
      });
    }),
    bind(jobRoutes.batch, ({ ctx, params }) => deps.jobs.batch(ctx, params.id)),
    bindStream(jobRoutes.batchEvents, async ({ actor, ctx, params, res }) => {
      await deps.jobs.batch(ctx, params.id);
      deps.streams.admit(actor, res);
      streamChanges(res, deps.events, {
        event: 'batch',
        stillAllowed: stillAllowed(actor),
        matches: (e) => e.batchId === params.id,
        minIntervalMs: 250,
        render: () => deps.jobs.batch(ctx, params.id),
        finished: (batch) => batch.done,
      });
    }),
  ];
}
