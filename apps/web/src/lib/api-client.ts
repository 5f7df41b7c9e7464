/**
 * The one way the web app talks to the API (`/api/v1`, same origin).
 *
 * - Sends the session cookie (`credentials: 'same-origin'`) and, on every unsafe method,
 *   the CSRF token kept in memory (set from `POST /auth/login` and `GET /auth/me`).
 * - Turns every failure into an `ApiError` (problem+json parsed when present; network
 *   failures become status 0, code `NETWORK_ERROR`).
 * - On a 401 it calls the handler set with `onUnauthorized` (the app sends the user to the
 *   login page) unless the request opts out with `handleUnauthorized: false`.
 */

export const API_BASE = '/api/v1';

export interface FieldIssue {
  /** Where the problem is, as the API reports it, e.g. `"username"` or `"port"`. */
  path: string;
  message: string;
}

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  requestId?: string;
  errors?: FieldIssue[];
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  /** Stable machine code from the API (`INVALID_CREDENTIALS`, `RATE_LIMITED`, …). */
  readonly code: string;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly errors: readonly FieldIssue[];
  /** Seconds from a `Retry-After` header (429, 503), when the API sent one. */
  readonly retryAfter: number | undefined;
  /** The problem's other members (a route's own facts, e.g. who holds a checkout). */
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(init: {
    status: number;
    code: string;
    title?: string | undefined;
    detail?: string | undefined;
    requestId?: string | undefined;
    errors?: readonly FieldIssue[] | undefined;
    retryAfter?: number | undefined;
    extensions?: Readonly<Record<string, unknown>> | undefined;
    cause?: unknown;
  }) {
    super(init.detail ?? init.title ?? init.code, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter;
    this.extensions = init.extensions ?? {};
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue | readonly QueryValue[]>;

export interface RequestOptions {
  query?: QueryParams | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /** Default true: a 401 calls the `onUnauthorized` handler before the error is thrown. */
  handleUnauthorized?: boolean | undefined;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const UNSAFE_METHODS: ReadonlySet<Method> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | null = null;
let unauthorizedHandler: ((error: ApiError) => void) | null = null;

/** Keeps the CSRF token in memory only (never in storage). `null` on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Registers what happens on a 401 (one handler; returns a function that removes it). */
export function onUnauthorized(handler: (error: ApiError) => void): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

export function buildUrl(path: string, query?: QueryParams): string {
  const url = `${API_BASE}${path.startsWith('/') ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, raw] of Object.entries(query)) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values as readonly QueryValue[]) {
      if (value === undefined || value === null || value === '') continue;
      params.append(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isJson(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(type);
}

function asFieldIssues(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    const joined = Array.isArray(path) ? path.join('.') : path;
    return typeof joined === 'string' && typeof message === 'string'
      ? [{ path: joined, message }]
      : [];
  });
}

async function toApiError(response: Response): Promise<ApiError> {
  let problem: ProblemDetails = {};
  if (isJson(response)) {
    try {
      const parsed: unknown = await response.json();
      if (typeof parsed === 'object' && parsed !== null) problem = parsed as ProblemDetails;
    } catch {
      // A broken body still yields an error with the status below.
    }
  }
  const str = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : undefined;
  return new ApiError({
    status: response.status,
    code: str(problem.code) ?? `HTTP_${response.status}`,
    title: str(problem.title) ?? (response.statusText || undefined),
    detail: str(problem.detail),
    requestId: str(problem.requestId) ?? response.headers.get('x-request-id') ?? undefined,
    errors: asFieldIssues(problem.errors),
    retryAfter: parseRetryAfter(response.headers.get('retry-after')),
    extensions: problemExtensions(problem),
  });
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'requestId', 'errors']);

function problemExtensions(problem: ProblemDetails): Record<string, unknown> {
  return Object.fromEntries(Object.entries(problem).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
}

export async function request<T>(
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers = new Headers({ Accept: 'application/json, application/problem+json' });
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }
  if (UNSAFE_METHODS.has(method) && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  for (const [key, value] of Object.entries(options.headers ?? {})) headers.set(key, value);

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause; // let TanStack Query see the abort
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR', cause });
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && options.handleUnauthorized !== false) {
      csrfToken = null;
      unauthorizedHandler?.(error);
    }
    throw error;
  }

  if (response.status === 204 || response.status === 205) return undefined as T;
  if (!isJson(response)) {
    const text = await response.text();
    return (text === '' ? undefined : text) as T;
  }
  return (await response.json()) as T;
}

/** Typed shorthands. Response types are asserted, not checked: the API is ours. */
export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  delete: <T = void>(path: string, options?: RequestOptions) =>
    request<T>('DELETE', path, options),
};

/** A page of a list endpoint (`limit` + opaque `cursor`). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
