import type { Permission } from './permissions.js';
import type { z } from './zod.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

/**
 * Who may call a route: `public` (no login), `authenticated` (any logged-in user or
 * token), or a permission the caller's role (and token scopes) must grant.
 */
export type RouteAccess = 'public' | 'authenticated' | Permission;

/** One HTTP operation of the REST API: the API validates with it, the OpenAPI doc is built from it. */
export interface ApiRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  operationId: string;
  method: HttpMethod;
  /** Express-style path below /api/v1, e.g. `/targets/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  params?: P;
  query?: Q;
  body?: B;
  /** Success status and body schema (none for 204); `mediaType` when the body is a file of that type instead of JSON. */
  success: { status: number; schema?: R; description?: string; mediaType?: string };
  /** A multipart/form-data body (a file upload), read by the handler itself; described here for the OpenAPI document. */
  multipart?: z.ZodType;
  /** Another success status with the same body, e.g. 202 when the request started work that goes on. */
  alsoSucceeds?: { status: number; description: string };
  /** Error statuses this route documents besides 400, 401/403, 413/415 (with a body), 422 (with input) and 500. */
  errors?: number[];
  /** Responds with text/event-stream instead of JSON. */
  stream?: boolean;
  /** Also answers `Accept: text/csv` with the same rows as CSV. */
  csv?: boolean;
  /** Still open to a browser session whose user must enrol a second factor first (the rest answer MFA_ENROLMENT_REQUIRED). */
  duringMfaEnrolment?: boolean;
}

export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  route: ApiRoute<P, Q, B, R>,
): ApiRoute<P, Q, B, R> {
  return route;
}
