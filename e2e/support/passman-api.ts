import { request, type APIRequestContext } from '@playwright/test';
import { ADMIN_STATE, e2eEnvironment } from './env.js';

/**
 * The REST API as the admin, for arranging what a spec does not test through the UI (and for
 * reading results back). Uses the session the global setup signed in, plus its CSRF token.
 */
export class PassmanApi {
  private constructor(
    private readonly context: APIRequestContext,
    private readonly csrf: string,
  ) {}

  static async open(): Promise<PassmanApi> {
    const context = await request.newContext({ baseURL: e2eEnvironment().baseURL, storageState: ADMIN_STATE, ignoreHTTPSErrors: true });
    const me = await context.get('/api/v1/auth/me');
    if (!me.ok()) throw new Error(`GET /auth/me: ${me.status()}`);
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    return new PassmanApi(context, csrfToken);
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, data?: unknown): Promise<T> {
    // A connection per call: a test idles between calls for longer than the server keeps an idle
    // connection (5 s), and a call sent on one the server is closing that moment fails with ECONNRESET.
    const response = await this.context.fetch(`/api/v1${path}`, { method, data, headers: { 'X-CSRF-Token': this.csrf, Connection: 'close' } });
    if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
    return (response.status() === 204 ? undefined : await response.json()) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, data?: unknown): Promise<T> {
    return this.call<T>('POST', path, data);
  }

  put<T>(path: string, data?: unknown): Promise<T> {
    return this.call<T>('PUT', path, data);
  }

  dispose(): Promise<void> {
    return this.context.dispose();
  }
}
