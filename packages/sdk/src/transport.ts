import { setTimeout as sleep } from 'node:timers/promises';
import { fetch as undiciFetch, type Dispatcher } from 'undici';

export interface RetryOptions {
  /** Further attempts after the first (default 3); 0 turns retrying off. */
  retries: number;
  /** The first back-off (default 250 ms); it doubles each attempt, with jitter. */
  baseDelayMs: number;
  /** The longest wait between attempts (default 10 s); a Retry-After beyond it is not waited for. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, baseDelayMs: 250, maxDelayMs: 10_000 };

/** What `onRequest` sees of each attempt: never a header or a body, where credentials and secrets go. */
export interface RequestInfo {
  method: string;
  url: string;
  /** 0 for the first attempt, then 1, 2 … for retries. */
  attempt: number;
}

/**
 * Methods that mean the same when sent twice: their 429/503 answers are retried. POST is not
 * (a reset or a check sent twice is two jobs); the API marks no POST route as idempotent.
 */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRIED_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Seconds of a Retry-After header (a number or an HTTP date) in ms, or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential back-off with full jitter in its upper half: attempt 0 → 125–250 ms, 1 → 250–500 ms … */
export function backoffMs(attempt: number, retry: RetryOptions, random = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The session cookie PassMan sets at login, kept in memory for this client's origin only. */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; secure: boolean }>();

  store(setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const attrs = attributes.map((a) => a.trim().toLowerCase());
      const expired = attrs.some((a) => /^max-age=\s*(-\d+|0)$/.test(a) || (a.startsWith('expires=') && Date.parse(a.slice(8)) <= Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, secure: attrs.includes('secure') });
    }
  }

  header(secureChannel: boolean): string | undefined {
    const pairs = [...this.cookies].filter(([, c]) => secureChannel || !c.secure).map(([name, c]) => `${name}=${c.value}`);
    return pairs.length > 0 ? pairs.join('; ') : undefined;
  }

  clear(): void {
    this.cookies.clear();
  }

  get size(): number {
    return this.cookies.size;
  }
}

export interface TransportOptions {
  dispatcher: Dispatcher | undefined;
  retry: RetryOptions;
  userAgent: string;
  onRequest: ((info: RequestInfo) => void) | undefined;
}

export interface Transport {
  /** A `fetch` for the api-client: adds the credentials, keeps the cookie, retries idempotent calls. */
  fetch: typeof fetch;
  /** The same, with retrying chosen per request (an event stream is not retried: the waiter polls instead). */
  request(url: string, init: RequestInit, options?: { retry?: boolean }): Promise<Response>;
  setToken(token: string | null): void;
  hasToken(): boolean;
  hasSession(): boolean;
  clearSession(): void;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export function createTransport(options: TransportOptions, initialToken: string | null): Transport {
  let token = initialToken;
  const jar = new CookieJar();

  async function request(url: string, init: RequestInit, settings: { retry?: boolean } = {}): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    headers.set('User-Agent', options.userAgent);
    // The token only ever goes in a header: never in the URL, where logs and proxies keep it.
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const cookie = jar.header(url.startsWith('https:'));
    if (cookie) headers.set('Cookie', cookie);
    const retries = settings.retry === false || !IDEMPOTENT_METHODS.has(method) ? 0 : options.retry.retries;
    let body = init.body as string | Uint8Array | undefined;
    if (init.body instanceof FormData) {
      // Node's own FormData is not the undici package's: encode it here, with its multipart boundary.
      const encoded = new Response(init.body);
      headers.set('Content-Type', encoded.headers.get('content-type')!);
      body = new Uint8Array(await encoded.arrayBuffer());
    }

    for (let attempt = 0; ; attempt += 1) {
      options.onRequest?.({ method, url, attempt });
      const response = (await undiciFetch(url, {
        method,
        headers: Object.fromEntries(headers),
        body,
        signal: init.signal ?? null,
        // A redirect would carry the token elsewhere: PassMan's API never redirects, so one is an error to see.
        redirect: 'manual',
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      })) as unknown as Response;
      jar.store(response.headers.getSetCookie());
      if (attempt >= retries || !RETRIED_STATUSES.has(response.status)) return response;
      const asked = retryAfterMs(response.headers.get('retry-after'));
      if (asked !== undefined && asked > options.retry.maxDelayMs) return response; // longer than we wait: the caller decides
      const delay = asked ?? backoffMs(attempt, options.retry);
      await response.body?.cancel();
      if (init.signal?.aborted) throw abortError(init.signal);
      await sleep(delay, undefined, init.signal ? { signal: init.signal } : {});
    }
  }

  return {
    fetch: ((input: string | URL | Request, init?: RequestInit) => request(String(input), init ?? {})) as typeof fetch,
    request,
    setToken: (value) => {
      token = value;
    },
    hasToken: () => token !== null,
    hasSession: () => jar.size > 0,
    clearSession: () => jar.clear(),
  };
}
