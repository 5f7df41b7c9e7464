import { jobRoutes } from '@passman/contracts';
import type { Response } from 'express';
import { bind, bindStream } from '../../http/bind-routes.js';
import type { CheckoutService } from '../checkout/checkout.service.js';
import type { JobEventHub } from './job-events.js';
import type { JobsService } from './jobs.service.js';

/** Server-Sent Events: sends `render()` now and after every change `matches`, until `finished`. */
async function stream<T>(res: Response, hub: JobEventHub, options: { event: string; matches: (e: { jobId: string; batchId: string | null }) => boolean; render: () => Promise<T>; finished: (value: T) => boolean }) {
  res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  let closed = false;
  let pending = false;
  let sending: Promise<void> = Promise.resolve();
  const send = () => {
    if (pending || closed) return;
    pending = true;
    // Coalesce bursts of changes into one render, sent in order.
    sending = sending.then(async () => {
      pending = false;
      if (closed) return;
      const value = await options.render();
      res.write(`event: ${options.event}\ndata: ${JSON.stringify(value)}\n\n`);
      if (options.finished(value)) finish();
    });
  };
  const off = hub.on((e) => {
    if (options.matches(e)) send();
  });
  // A safety net for missed notifications (e.g. while the LISTEN connection reconnects).
  const poll = setInterval(send, 5_000);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  function finish() {
    if (closed) return;
    closed = true;
    off();
    clearInterval(poll);
    clearInterval(heartbeat);
    res.end();
  }
  res.on('close', finish);
  send();
}

export function jobBindings(deps: { jobs: JobsService; checkout: CheckoutService; events: JobEventHub }) {
  return [
    bind(jobRoutes.reset, ({ ctx, params, body }) => deps.jobs.requestReset(ctx, params.id, body)),
    bind(jobRoutes.check, ({ ctx, params }) => deps.jobs.requestCheck(ctx, params.id)),
    bind(jobRoutes.checkout, ({ ctx, params, body }) => deps.checkout.checkout(ctx, params.id, body)),
    bind(jobRoutes.checkin, ({ ctx, params }) => deps.checkout.checkin(ctx, params.id)),
    bind(jobRoutes.bulk, ({ ctx, body }) => deps.jobs.bulk(ctx, body)),
    bind(jobRoutes.list, ({ query }) => {
      const { limit, cursor, ...filter } = query;
      return deps.jobs.list(filter, limit, cursor);
    }),
    bind(jobRoutes.get, ({ params }) => deps.jobs.get(params.id)),
    bindStream(jobRoutes.events, async ({ params, res }) => {
      await deps.jobs.get(params.id); // 404 before the stream starts
      await stream(res, deps.events, {
        event: 'job',
        matches: (e) => e.jobId === params.id,
        render: () => deps.jobs.get(params.id),
        finished: (job) => job.state === 'succeeded' || job.state === 'failed' || (job.state === 'unverified' && job.errorCode === 'OUTCOME_UNKNOWN'),
      });
    }),
    bind(jobRoutes.batch, ({ params }) => deps.jobs.batch(params.id)),
    bindStream(jobRoutes.batchEvents, async ({ params, res }) => {
      await deps.jobs.batch(params.id);
      await stream(res, deps.events, {
        event: 'batch',
        matches: (e) => e.batchId === params.id,
        render: () => deps.jobs.batch(params.id),
        finished: (batch) => batch.done,
      });
    }),
  ];
}
