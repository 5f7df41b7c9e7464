import { ApiError, isJson, toApiError } from './errors.js';
import type { CallArgs, CallSettings, RouteLike, RouteResponse } from './types.js';

type QueryValue = string | number | boolean | null | undefined;

const UNSAFE_METHODS: ReadonlySet<string> = new Set(['post', 'put', 'patch', 'delete']);

export interface ApiClientOptions {
  /** Where the API's routes start, e.g. `/api/v1` (same origin) or `https://host:8080/api/v1`. */
  baseUrl: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Defaults to `same-origin`: the browser sends the session cookie to its own API. */
  credentials?: 'omit' | 'same-origin' | 'include';
}

export interface ApiClient {
  /**
   * Calls one route of the contracts: `params` fill the path, `query` the query string, `body`
   * goes as JSON. The types come from the route's schemas; the response is not re-validated
   * (the API validated it when it sent it).
   */
  call<R extends RouteLike>(route: R, ...args: CallArgs<R>): Promise<RouteResponse<R>>;
  /**
   * As `call`, for a route answering with a file (a CSV download, a KeePass export): the body as
   * a Blob, whatever its type. Errors, 401 and step-up are handled as for `call`.
   */
  download<R extends RouteLike>(route: R, ...args: CallArgs<R>): Promise<Blob>;
  /** The URL of a route (an event stream's, for EventSource). */
  url<R extends RouteLike>(route: R, options?: { params?: unknown; query?: unknown }): string;
  /** Keeps the CSRF token in memory only (never in storage); `null` on logout. */
  setCsrfToken(token: string | null): void;
  getCsrfToken(): string | null;
  /** Registers what happens on a 401 (one handler; returns a function that removes it). */
  onUnauthorized(handler: (error: ApiError) => void): () => void;
  /**
   * Registers who re-authenticates the user when a call answers STEP_UP_REQUIRED (one handler;
   * returns a function that removes it). It resolves true once the user proved who they are (the
   * call is then sent again, once), false when they gave up (the call fails with that error).
   */
  onStepUp(handler: (error: ApiError) => Promise<boolean>): () => void;
}

/** The problem code of an action that needs the user to re-authenticate first (contracts: STEP_UP_REQUIRED). */
export const STEP_UP_REQUIRED_CODE = 'STEP_UP_REQUIRED';

/** `/targets/:id` with `{ id }` → `/targets/<id>`, each value URI-encoded. */
export function fillPath(path: string, params: unknown): string {
  const values = (params ?? {}) as Record<string, unknown>;
  return path.replace(/:(\w+)/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined || value === null || value === '') throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** Empty values are left out: an unset filter is no filter. Arrays repeat the key. */
export function queryString(query: unknown): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, raw] of Object.entries(query as Record<string, unknown>)) {
    const values = (Array.isArray(raw) ? raw : [raw]) as QueryValue[];
    for (const value of values) {
      if (value === undefined || value === null || value === '') continue;
      search.append(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const credentials = options.credentials ?? 'same-origin';
  let csrfToken: string | null = null;
  let unauthorizedHandler: ((error: ApiError) => void) | null = null;
  let stepUpHandler: ((error: ApiError) => Promise<boolean>) | null = null;

  const url: ApiClient['url'] = (route, parts = {}) => `${base}${fillPath(route.path, parts.params)}${queryString(parts.query)}`;

  type Settings = CallSettings & { params?: unknown; query?: unknown; body?: unknown; blob?: boolean };

  async function withStepUp<T>(settings: Settings, attempt: () => Promise<T>): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== STEP_UP_REQUIRED_CODE || settings.handleStepUp === false || !stepUpHandler) throw error;
      if (!(await stepUpHandler(error))) throw error;
      // Once only: a second STEP_UP_REQUIRED (the window is shorter than the round trip) goes to the caller.
      return attempt();
    }
  }

  async function call<R extends RouteLike>(route: R, ...args: CallArgs<R>): Promise<RouteResponse<R>> {
    const settings = (args[0] ?? {}) as Settings;
    return withStepUp(settings, () => send(route, settings));
  }

  async function download<R extends RouteLike>(route: R, ...args: CallArgs<R>): Promise<Blob> {
    const settings = { ...(args[0] ?? {}), blob: true } as Settings;
    return withStepUp(settings, () => send(route, settings) as Promise<Blob>);
  }

  async function send<R extends RouteLike>(route: R, settings: Settings): Promise<RouteResponse<R>> {
    const method = route.method.toUpperCase();
    const headers = new Headers({ Accept: 'application/json, application/problem+json' });
    let body: string | FormData | undefined;
    if (settings.form !== undefined) body = settings.form;
    else if (settings.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(settings.body);
    }
    if (UNSAFE_METHODS.has(route.method) && csrfToken) headers.set('X-CSRF-Token', csrfToken);
    for (const [key, value] of Object.entries(settings.headers ?? {})) headers.set(key, value);

    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url(route, settings), {
        method,
        headers,
        body,
        credentials,
        signal: settings.signal ?? null,
      });
    } catch (cause) {
      if (settings.signal?.aborted) throw cause; // the caller (TanStack Query) sees its own abort
      throw new ApiError({ status: 0, code: 'NETWORK_ERROR', cause });
    }

    if (!response.ok) {
      const error = await toApiError(response);
      if (error.status === 401 && settings.handleUnauthorized !== false) {
        csrfToken = null;
        unauthorizedHandler?.(error);
      }
      throw error;
    }
    if (settings.blob) return (await response.blob()) as RouteResponse<R>;
    if (response.status === 204 || response.status === 205) return undefined as RouteResponse<R>;
    if (!isJson(response)) {
      const text = await response.text();
      return (text === '' ? undefined : text) as RouteResponse<R>;
    }
    return (await response.json()) as RouteResponse<R>;
  }

  return {
    call,
    download,
    url,
    setCsrfToken: (token) => {
      csrfToken = token;
    },
    getCsrfToken: () => csrfToken,
    onUnauthorized: (handler) => {
      unauthorizedHandler = handler;
      return () => {
        if (unauthorizedHandler === handler) unauthorizedHandler = null;
      };
    },
    onStepUp: (handler) => {
      stepUpHandler = handler;
      return () => {
        if (stepUpHandler === handler) stepUpHandler = null;
      };
    },
  };
}
