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

/** Every failed call: the API's problem+json (`code`, status, field issues) or a network failure (status 0). */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
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

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function isJson(response: Response): boolean {
  const type = response.headers.get('content-type') ?? '';
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(type);
}

function asFieldIssues(value: unknown): FieldIssue[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    const joined = Array.isArray(path) ? path.join('.') : path;
    return typeof joined === 'string' && typeof message === 'string' ? [{ path: joined, message }] : [];
  });
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'requestId', 'errors']);

function problemExtensions(problem: ProblemDetails): Record<string, unknown> {
  return Object.fromEntries(Object.entries(problem).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
}

/** Reads a failed response into an `ApiError` (problem+json when the body is JSON). */
export async function toApiError(response: Response): Promise<ApiError> {
  let problem: ProblemDetails = {};
  if (isJson(response)) {
    try {
      const parsed: unknown = await response.json();
      if (typeof parsed === 'object' && parsed !== null) problem = parsed as ProblemDetails;
    } catch {
      // A broken body still yields an error with the status below.
    }
  }
  const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
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
