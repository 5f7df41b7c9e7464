import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import * as oidc from 'openid-client';
import { fetchTrusting } from './provider-fetch.js';

/** Seconds any one request to the provider may take. */
const REQUEST_TIMEOUT_SECONDS = 10;
/** How long a discovery document is reused before it is fetched again. */
const DISCOVERY_TTL_MS = 10 * 60_000;

/**
 * Whether the issuer is served over plain http on this machine. openid-client refuses http
 * unless told otherwise; PassMan allows it only for a provider on a loopback address (a test
 * or a provider beside PassMan), never over a network.
 */
export function isLoopbackHttp(issuer: URL): boolean {
  if (issuer.protocol !== 'http:') return false;
  const host = issuer.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export function assertUsableIssuer(issuer: string): URL {
  const url = new URL(issuer);
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) throw new Error('the issuer must be an https:// URL (http only for a loopback address)');
  return url;
}

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** PEM certificates to trust for the provider's https; null: Node's own roots. */
  caCertificates: string | null;
}

/** Fetches the discovery document and builds openid-client's configuration for it. */
export async function discover(settings: OidcClientSettings): Promise<oidc.Configuration> {
  const issuer = assertUsableIssuer(settings.issuer);
  const insecure = isLoopbackHttp(issuer);
  return oidc.discovery(issuer, settings.clientId, undefined, settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(), {
    timeout: REQUEST_TIMEOUT_SECONDS,
    execute: insecure ? [oidc.allowInsecureRequests] : [],
    ...(settings.caCertificates && issuer.protocol === 'https:' ? { [oidc.customFetch]: fetchTrusting(settings.caCertificates) } : {}),
  });
}

/** One cached configuration, rebuilt when the settings change or it grows old. */
export function createDiscoveryCache(now: () => Date) {
  let cached: { key: string; at: number; config: Promise<oidc.Configuration> } | null = null;
  return async (settings: OidcClientSettings): Promise<oidc.Configuration> => {
    const key = createHash('sha256')
      .update(JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret, settings.caCertificates]))
      .digest('hex');
    const t = now().getTime();
    if (!cached || cached.key !== key || t - cached.at > DISCOVERY_TTL_MS) {
      const config = discover(settings);
      cached = { key, at: t, config };
      // A failed discovery is not kept: the next login tries again.
      config.catch(() => {
        if (cached?.config === config) cached = null;
      });
    }
    return cached.config;
  };
}

/** A reason an operator can act on, from an error openid-client or fetch threw. */
export function describeOidcError(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError)
    return `the provider answered ${error.status}: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  if (error instanceof oidc.AuthorizationResponseError)
    return `the provider refused: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  if (error instanceof Error) {
    // openid-client wraps fetch's error, which wraps the socket's: the useful words are at the bottom.
    const parts: string[] = [];
    let at: unknown = error;
    // Duck-typed: an error made by Node's own fetch may come from another realm than this Error.
    const isError = (value: unknown): value is { message: string; cause?: unknown } =>
      typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
    for (let depth = 0; isError(at) && depth < 4; depth++, at = at.cause) parts.push(at.message);
    const status = (at as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number') parts.push(`HTTP ${status}`);
    return parts.join(': ').slice(0, 500);
  }
  return 'unknown error';
}

export { oidc };
