import { ApiError, createApiClient, toApiError, type CallArgs, type RouteLike, type RouteResponse } from '@passman/api-client';
import { authRoutes, type LoginRequest, type LoginResponse } from '@passman/contracts';
import { PassmanError, toPassmanError, typed, type StepUpRequiredError } from './errors.js';
import { ROUTE_GROUPS, type PageItem, type RouteClients, type StreamSettings } from './routes.js';
import { findAccount, findTarget } from './resolve.js';
import { readEvents } from './sse.js';
import { createDispatcher, type TlsOptions } from './tls.js';
import { createTransport, DEFAULT_RETRY, type RequestInfo, type RetryOptions } from './transport.js';
import { waitForBatch, waitForJob, type WaitOptions } from './wait.js';
import type { Account, Batch, Job, Target } from '@passman/contracts';

export interface PassmanOptions {
  /** Where PassMan is, e.g. `https://passman.example.com:8443` (its API's `/api/v1` is added when missing). */
  url: string;
  /** An API token (`pm_…`), sent as `Authorization: Bearer`. Without one, `login()` makes a session. */
  token?: string | undefined;
  /** For a self-signed certificate: its SHA-256 fingerprint to pin, or a CA to trust. */
  tls?: TlsOptions | undefined;
  /** Retrying of idempotent calls (GET, PUT, DELETE) answered 429 or 503; `false` turns it off. */
  retry?: Partial<RetryOptions> | false | undefined;
  /**
   * Plain `http://` sends the token or session cookie in clear: allowed for loopback addresses,
   * elsewhere only with this set (PassMan behind a TLS-terminating proxy on a private network).
   */
  allowPlainHttp?: boolean | undefined;
  /** Called before each attempt of each request with its method and URL (for a verbose log). */
  onRequest?: ((request: RequestInfo) => void) | undefined;
  userAgent?: string | undefined;
}

export interface PassmanHelpers {
  /** The API's base URL, `…/api/v1`. */
  readonly baseUrl: string;
  /** Calls one route object of the contracts: `call(accountRoutes.get, { params: { id } })`. */
  call<R extends RouteLike>(route: R, ...args: CallArgs<R>): Promise<RouteResponse<R>>;
  /** Every item of a paged route, page after page (`limit` sets the page size). */
  paginate<R extends RouteLike>(route: R, ...args: CallArgs<R>): AsyncIterable<PageItem<R>>;
  /** The parsed data of each event of an event-stream route, until the server ends it. */
  stream<R extends RouteLike>(route: R, ...args: [...CallArgs<R>, StreamSettings?]): AsyncIterable<RouteResponse<R>>;
  /**
   * Starts a session (cookie + CSRF token, kept in memory). A user with a second factor gets the
   * challenge instead; answer it with `loginMfa`, which then starts the session.
   */
  login(credentials: LoginRequest): Promise<LoginResponse>;
  /** Ends the session (and forgets it even when the server could not be told). */
  logout(): Promise<void>;
  /** Switches to another API token, or to none (`null`). */
  setToken(token: string | null): void;
  /** Who is calling (the token's or the session's user, with their permissions). */
  whoami(): Promise<Awaited<ReturnType<RouteClients['auth']['me']>>['user']>;
  /** The target of that exact name; NotFoundError when there is none you may see. */
  findTarget(name: string): Promise<Target>;
  /** The account named `<target>/<username>`; NotFoundError when there is none you may see. */
  findAccount(reference: string): Promise<Account>;
  /** Follows a job on its event stream (polling when no stream can be had) until it settles. */
  waitForJob(jobId: string, options?: WaitOptions<Job>): Promise<Job>;
  /** Follows a batch the same way until every job of it settled. */
  waitForBatch(batchId: string, options?: WaitOptions<Batch>): Promise<Batch>;
  /** Who proves the session's user again on STEP_UP_REQUIRED; resolve true to send the call again. */
  onStepUp(handler: (error: StepUpRequiredError) => Promise<boolean>): () => void;
  /** Closes the connections (the pinned or CA dispatcher's); the client is not used after. */
  close(): Promise<void>;
}

export type PassmanClient = RouteClients & PassmanHelpers;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The API base URL of an address, refusing one that would carry a secret or send it in clear. */
export function apiBaseUrl(address: string, allowPlainHttp = false): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new TypeError(`not a URL: ${JSON.stringify(address)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('the PassMan URL must be https:// (or http:// on loopback)');
  // A URL ends up in logs, shell history and proxies: credentials never ride in one.
  if (url.username || url.password) throw new TypeError('the PassMan URL must not hold a user name or password: use a token or login()');
  if (url.search || url.hash) throw new TypeError('the PassMan URL must not have a query or fragment');
  if (url.protocol === 'http:' && !allowPlainHttp && !LOOPBACK.test(url.hostname)) {
    throw new TypeError('refusing plain http:// to a remote host (credentials would travel in clear): use https://, or set allowPlainHttp');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path.endsWith('/api/v1') ? path : `${path}/api/v1`}`;
}

function isSession(value: unknown): value is { csrfToken: string } {
  return typeof value === 'object' && value !== null && typeof (value as { csrfToken?: unknown }).csrfToken === 'string' && 'user' in value;
}

function splitStreamArgs(args: unknown[]): { call: Record<string, unknown>; settings: StreamSettings } {
  return { call: (args[0] ?? {}) as Record<string, unknown>, settings: (args[1] ?? {}) as StreamSettings };
}

export function createPassman(options: PassmanOptions): PassmanClient {
  const baseUrl = apiBaseUrl(options.url, options.allowPlainHttp);
  if (options.tls?.fingerprint256 !== undefined && !baseUrl.startsWith('https:')) throw new TypeError('a certificate pin needs an https:// URL');
  const dispatcher = createDispatcher(options.tls);
  const retry = options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const transport = createTransport({ dispatcher, retry, userAgent: options.userAgent ?? '@passman/sdk', onRequest: options.onRequest }, options.token ?? null);
  const api = createApiClient({ baseUrl, fetch: transport.fetch, credentials: 'omit' });

  async function call<R extends RouteLike>(route: R, ...args: CallArgs<R>): Promise<RouteResponse<R>> {
    try {
      const result = await api.call(route, ...args);
      // A login, its second step and `me` hand out the session's CSRF token: keep it for unsafe calls.
      if (isSession(result)) api.setCsrfToken(result.csrfToken);
      return result;
    } catch (error) {
      throw typed(error);
    }
  }

  async function* paginate<R extends RouteLike>(route: R, ...args: CallArgs<R>): AsyncGenerator<PageItem<R>> {
    const first = (args[0] ?? {}) as { query?: Record<string, unknown> };
    let cursor = first.query?.cursor as string | undefined;
    for (;;) {
      const options = { ...first, query: { ...first.query, cursor } } as unknown as CallArgs<R>[0];
      const page = (await call(route, ...([options] as CallArgs<R>))) as { items: PageItem<R>[]; nextCursor: string | null };
      yield* page.items;
      if (!page.nextCursor) return;
      if (page.nextCursor === cursor) throw new PassmanError({ status: 0, code: 'PAGINATION_STUCK', detail: 'the server returned the same cursor again' });
      cursor = page.nextCursor;
    }
  }

  async function* stream<R extends RouteLike>(route: R, ...args: [...CallArgs<R>, StreamSettings?]): AsyncGenerator<RouteResponse<R>> {
    const { call: parts, settings } = splitStreamArgs(args);
    const url = api.url(route, { params: parts.params, query: parts.query });
    const idle = new AbortController();
    const outer = parts.signal as AbortSignal | undefined;
    const signal = outer ? AbortSignal.any([outer, idle.signal]) : idle.signal;
    const idleMs = settings.idleMs ?? 45_000;
    let timer: NodeJS.Timeout | undefined;
    const quietFor = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(new PassmanError({ status: 0, code: 'STREAM_IDLE', detail: `no event or heartbeat for ${idleMs} ms` })), idleMs);
    };
    let response: Response;
    try {
      quietFor();
      try {
        response = await transport.request(url, { method: 'GET', headers: { Accept: 'text/event-stream' }, signal }, { retry: settings.retry !== false });
      } catch (cause) {
        if (outer?.aborted) throw cause;
        throw toPassmanError(new ApiError({ status: 0, code: 'NETWORK_ERROR', cause: idle.signal.aborted ? idle.signal.reason : cause }));
      }
      if (!response.ok) throw toPassmanError(await toApiError(response));
      if (!/^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '') || !response.body) {
        await response.body?.cancel();
        throw new PassmanError({
          status: response.status,
          code: 'NOT_AN_EVENT_STREAM',
          detail: `expected text/event-stream, got ${response.headers.get('content-type')}`,
        });
      }
      try {
        for await (const event of readEvents(response.body as unknown as AsyncIterable<Uint8Array>, quietFor)) {
          yield JSON.parse(event.data) as RouteResponse<R>;
        }
      } catch (cause) {
        if (outer?.aborted) throw cause;
        if (idle.signal.aborted) throw idle.signal.reason;
        throw toPassmanError(new ApiError({ status: 0, code: 'NETWORK_ERROR', cause }));
      }
    } finally {
      clearTimeout(timer);
      idle.abort();
    }
  }

  const groups = Object.fromEntries(
    Object.entries(ROUTE_GROUPS).map(([group, routes]) => [
      group,
      Object.fromEntries(
        Object.entries(routes as Record<string, RouteLike & { stream?: boolean }>).map(([name, route]) => {
          if (route.stream) return [name, (...args: unknown[]) => stream(route, ...(args as [never]))];
          const method = (...args: unknown[]) => call(route, ...(args as [never]));
          return [name, Object.assign(method, { all: (...args: unknown[]) => paginate(route, ...(args as [never])) })];
        }),
      ),
    ]),
  ) as unknown as RouteClients;

  const helpers: PassmanHelpers = {
    baseUrl,
    call,
    paginate,
    stream,
    async login(credentials) {
      transport.clearSession();
      return call(authRoutes.login, { body: credentials, handleUnauthorized: false });
    },
    async logout() {
      try {
        if (transport.hasSession()) await call(authRoutes.logout);
      } finally {
        transport.clearSession();
        api.setCsrfToken(null);
      }
    },
    setToken: (token) => transport.setToken(token),
    async whoami() {
      return (await call(authRoutes.me)).user;
    },
    findTarget: (name) => findTarget(client, name),
    findAccount: (reference) => findAccount(client, reference),
    waitForJob: (jobId, waitOptions) => waitForJob(client, jobId, waitOptions),
    waitForBatch: (batchId, waitOptions) => waitForBatch(client, batchId, waitOptions),
    onStepUp: (handler) => api.onStepUp((error) => handler(toPassmanError(error) as StepUpRequiredError)),
    async close() {
      await dispatcher?.close();
    },
  };
  const client: PassmanClient = Object.assign(groups, helpers);
  return client;
}
