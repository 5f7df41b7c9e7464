import { createServer as createPlainServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { answerClientErrors } from './client-error.js';

export interface HttpServerSettings {
  /** The whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** The request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  maxHeadersCount: number;
}

/**
 * Node's own limits let a client hold a connection for 5 minutes per request (1 for headers):
 * a few hundred slow clients would pin every socket. PassMan's requests are small JSON bodies.
 */
export const DEFAULT_HTTP_SERVER_SETTINGS: HttpServerSettings = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 100,
};

/** A certificate chain and its private key, PEM. */
export interface TlsCredentials {
  cert: string;
  key: string;
}

/** TLS 1.2 and 1.3 only, with Node's default (modern, forward-secret) cipher list. */
export const MIN_TLS_VERSION = 'TLSv1.2';

/** The server PassMan listens with: HTTPS when given credentials, plain HTTP otherwise. */
export function createHttpServer(app: RequestListener, settings: HttpServerSettings, tls?: TlsCredentials): Server {
  const options = {
    requestTimeout: settings.requestTimeoutMs,
    headersTimeout: settings.headersTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    // Node enforces the two timeouts above only as often as it checks its connections.
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(settings.headersTimeoutMs / 4))),
    // Headers beyond 16 KiB are refused with 431 (Node's default, stated here on purpose).
    maxHeaderSize: 16 * 1024,
  };
  const server: Server = tls ? createTlsServer({ ...options, ...tls, minVersion: MIN_TLS_VERSION }, app) : createPlainServer(options, app);
  server.maxHeadersCount = settings.maxHeadersCount;
  // The socket inactivity timeout stays off: event streams are long and quiet (heartbeats every 15 s).
  server.timeout = 0;
  answerClientErrors(server);
  return server;
}
