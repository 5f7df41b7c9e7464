import type { RequestContext } from '../lib/actor.js';

declare global {
  namespace Express {
    interface Request {
      /** Set by the request-context middleware before any route runs. */
      ctx: RequestContext;
    }
  }
}

export {};
