import type { ApiRoute, z } from '@passman/contracts';

/** What the client reads of a route: its method and path, and its schemas for the types only. */
export type RouteLike = Pick<ApiRoute, 'method' | 'path' | 'params' | 'query' | 'body' | 'success'>;

type InputOf<S> = S extends z.ZodType ? z.input<S> : unknown;
type OutputOf<S> = S extends z.ZodType ? z.output<S> : unknown;

/**
 * A query as the caller writes it: each field's input type, except where that is `unknown`
 * (coercing fields such as `limit`), where the parsed type is what one means to send.
 */
type QueryOf<S> = S extends z.ZodType
  ? unknown extends z.input<S>
    ? unknown
    : {
        [K in keyof z.input<S>]: unknown extends z.input<S>[K] ? (K extends keyof z.output<S> ? z.output<S>[K] : never) | undefined : z.input<S>[K];
      }
  : unknown;

export type RouteParams<R extends RouteLike> = InputOf<NonNullable<R['params']>>;
export type RouteQuery<R extends RouteLike> = QueryOf<NonNullable<R['query']>>;
export type RouteBody<R extends RouteLike> = InputOf<NonNullable<R['body']>>;
/** The success body (what the API sends as JSON), `void` for a route without one (204). */
export type RouteResponse<R extends RouteLike> =
  unknown extends OutputOf<NonNullable<R['success']['schema']>> ? void : OutputOf<NonNullable<R['success']['schema']>>;

/** A route without that part takes none; a part whose fields are all optional may be left out. */
type Slot<Name extends string, T> = unknown extends T ? { [K in Name]?: never } : Record<string, never> extends T ? { [K in Name]?: T } : { [K in Name]: T };

export interface CallSettings {
  signal?: AbortSignal | undefined;
  headers?: Record<string, string> | undefined;
  /** Default true: a 401 calls the `onUnauthorized` handler before the error is thrown. */
  handleUnauthorized?: boolean | undefined;
  /** Default true: a STEP_UP_REQUIRED answer calls the `onStepUp` handler and, once it re-authenticated, sends the call again. */
  handleStepUp?: boolean | undefined;
  /** A multipart/form-data body (a file upload, for routes with `multipart`); the browser sets its Content-Type. */
  form?: FormData | undefined;
}

export type CallOptions<R extends RouteLike> = Slot<'params', RouteParams<R>> & Slot<'query', RouteQuery<R>> & Slot<'body', RouteBody<R>> & CallSettings;

type RequiredKeys<T> = { [K in keyof T]-?: Record<string, never> extends Pick<T, K> ? never : K }[keyof T];

/** The options argument may be left out when nothing in it is required. */
export type CallArgs<R extends RouteLike> = [RequiredKeys<CallOptions<R>>] extends [never] ? [options?: CallOptions<R>] : [options: CallOptions<R>];
