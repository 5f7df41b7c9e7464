import type { ApiRoute, Permission, z } from '@passman/contracts';
import type { Request, Response, Router } from 'express';
import { AppError } from '../lib/app-error.js';
import { parseInput } from '../lib/validate.js';
import type { Actor, RequestContext } from '../lib/actor.js';
import { safeEqual } from '../lib/safe-equal.js';

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type In<S> = S extends z.ZodType ? z.input<S> : undefined;

export interface HandlerInput<R extends ApiRoute> {
  params: R extends ApiRoute<infer P> ? Out<P> : never;
  query: R extends ApiRoute<z.ZodType, infer Q> ? Out<Q> : never;
  body: R extends ApiRoute<z.ZodType, z.ZodType, infer B> ? Out<B> : never;
  /** The caller; routes with access `public` may see null. */
  actor: Actor;
  ctx: RequestContext;
  req: Request;
  res: Response;
}

/** What a handler returns: the input of the success schema, or nothing for 204 routes. */
type Result<R extends ApiRoute> = R extends ApiRoute<z.ZodType, z.ZodType, z.ZodType, infer S> ? (unknown extends In<S> ? void : In<S>) : never;

export interface Binding {
  route: ApiRoute;
  handler: (input: HandlerInput<ApiRoute>) => Promise<unknown>;
}

/** Pairs a contract route with its handler; the handler's input and result are typed by the contract. */
export function bind<R extends ApiRoute>(route: R, handler: (input: HandlerInput<R>) => Promise<Result<R>>): Binding {
  return { route, handler: handler as unknown as Binding['handler'] };
}

/** For `stream: true` routes: the handler writes the response itself (Server-Sent Events). */
export function bindStream<R extends ApiRoute>(route: R, handler: (input: HandlerInput<R>) => Promise<void>): Binding {
  return { route, handler: handler as unknown as Binding['handler'] };
}

const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/** Authorization happens here, on the server, for every route, before any input is parsed. */
function authorize(route: ApiRoute, req: Request): void {
  if (route.access === 'public') return;
  const actor = req.ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Log in or send an API token');
  if (actor.kind === 'session' && UNSAFE.has(route.method)) {
    const sent = req.get('x-csrf-token');
    if (!sent || !actor.csrfToken || !safeEqual(sent, actor.csrfToken)) {
      throw new AppError('CSRF_FAILED', 'Missing or wrong X-CSRF-Token header (GET /api/v1/auth/me returns it)');
    }
  }
  if (actor.mfaEnrolmentRequired && !route.duringMfaEnrolment) {
    throw new AppError('MFA_ENROLMENT_REQUIRED', 'Enrol a second factor first (your Security page): the MFA policy requires one');
  }
  if (route.access !== 'authenticated' && !actor.permissions.has(route.access as Permission)) {
    throw new AppError('FORBIDDEN', `You lack the permission ${route.access}`);
  }
}

/**
 * express.json() leaves a body of another type unread, which would then fail the schema as if
 * it were missing: say what is wrong instead. A request without a body is left to the schema.
 */
function assertJsonBody(req: Request): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  if (hasBody && !req.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json');
}

export function mountRoutes(router: Router, bindings: Binding[], options: { validateResponses: boolean }): void {
  for (const { route, handler } of bindings) {
    router[route.method](route.path, async (req: Request, res: Response) => {
      res.locals.routePattern = `${req.baseUrl}${route.path}`; // for metrics, before anything can throw
      authorize(route, req);
      if (route.body) assertJsonBody(req);
      const params = route.params ? parseInput(route.params, req.params, 'params') : undefined;
      const query = route.query ? parseInput(route.query, req.query, 'query') : undefined;
      const body = route.body ? parseInput(route.body, req.body ?? undefined, 'body') : undefined;
      const result = await handler({ params, query, body, actor: req.ctx.actor!, ctx: req.ctx, req, res } as HandlerInput<ApiRoute>);
      if (route.stream || res.headersSent) return;
      if (!route.success.schema) {
        res.status(route.success.status).end();
        return;
      }
      if (options.validateResponses) {
        // In tests, a presenter that drifts from its contract fails loudly.
        const check = route.success.schema.safeParse(result);
        if (!check.success) throw new Error(`Response of ${route.operationId} breaks its contract: ${check.error.message}`);
      }
      res.status(route.success.status).json(result);
    });
  }
}
