import { once } from 'node:events';
import type { RequestListener, Server } from 'node:http';
import type { Server as TlsServer } from 'node:https';
import type { Logger } from 'pino';
import { createHttpServer, MIN_TLS_VERSION, type HttpServerSettings } from './http/http-server.js';
import { loadTlsCredentials, type TlsCredentials, type TlsSource } from './tls/tls-credentials.js';

const DAY = 86_400_000;

export interface ListenerOptions {
  app: RequestListener;
  host: string;
  port: number;
  http: HttpServerSettings;
  /** Null: plain HTTP (PASSMAN_TLS=off). */
  tls: { source: TlsSource; initial: TlsCredentials } | null;
  /** PASSMAN_METRICS_LISTEN: a plain-HTTP listener for /metrics alone. */
  metrics?: { app: RequestListener; host: string; port: number };
  /** Plain HTTP with no proxy named (PASSMAN_TRUST_PROXY): say so in the log. */
  warnPlainHttp?: boolean;
  logger: Logger;
  /** The terminal (stdout): what the operator must see once, apart from the log. */
  print: (text: string) => void;
}

export interface Listeners {
  url: string;
  /** Reads the certificate again (SIGHUP): a replaced file, or a self-signed one due for renewal. */
  reloadTls(): Promise<void>;
  close(): void;
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** `host:port`, `[v6]:port`. */
export function parseListenAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  if (!match) throw new Error(`not host:port: ${value}`);
  return { host: match[1] ?? match[2]!, port: Number(match[3]) };
}

function describeCertificate(tls: TlsCredentials): string {
  if (tls.kind === 'files') return 'from PASSMAN_TLS_CERT';
  return tls.created ? 'self-signed, made on this start' : 'self-signed';
}

/**
 * The listening side of `npm start`: HTTPS (or plain HTTP behind a proxy) with PassMan's
 * timeouts, the certificate reloaded on demand without dropping the listener, and the optional
 * metrics listener.
 */
export async function startListeners(options: ListenerOptions): Promise<Listeners> {
  const { logger } = options;
  let current = options.tls?.initial ?? null;
  const server = createHttpServer(options.app, options.http, current ? { cert: current.cert, key: current.key } : undefined);
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const url = `${current ? 'https' : 'http'}://${urlHost(options.host)}:${options.port}`;

  let metricsServer: Server | undefined;
  if (options.metrics) {
    metricsServer = createHttpServer(options.metrics.app, options.http);
    metricsServer.listen(options.metrics.port, options.metrics.host);
    await once(metricsServer, 'listening');
    logger.info(
      { url: `http://${urlHost(options.metrics.host)}:${options.metrics.port}/metrics` },
      'metrics listening (no authentication: keep this address private)',
    );
  }

  if (current) {
    const certificate = {
      certificate: current.certPath,
      source: current.kind,
      fingerprint256: current.fingerprint256,
      validUntil: current.notAfter.toISOString(),
    };
    logger.info(certificate, 'TLS certificate');
    options.print(
      `\n  PassMan serves HTTPS at ${url}\n  Certificate: ${current.certPath} (${describeCertificate(current)}), valid until ${current.notAfter.toISOString()}\n` +
        `  SHA-256 fingerprint: ${current.fingerprint256}\n` +
        `  Before you trust it, check that your browser shows this fingerprint for the certificate.\n\n`,
    );
  } else if (options.warnPlainHttp) {
    logger.warn('PASSMAN_TLS=off: serving plain HTTP. Put a TLS-terminating proxy in front and name it in PASSMAN_TRUST_PROXY');
  }

  const reloadTls = async (): Promise<void> => {
    if (!options.tls || !current) {
      logger.info('nothing to reload: PASSMAN_TLS=off');
      return;
    }
    try {
      const next = await loadTlsCredentials(options.tls.source);
      if (next.fingerprint256 === current.fingerprint256) {
        logger.info({ fingerprint256: next.fingerprint256 }, 'TLS certificate unchanged');
        return;
      }
      // New connections get the new certificate; open ones keep theirs. The listener stays up.
      (server as TlsServer).setSecureContext({ cert: next.cert, key: next.key, minVersion: MIN_TLS_VERSION });
      current = next;
      logger.info(
        {
          certificate: next.certPath,
          source: next.kind,
          fingerprint256: next.fingerprint256,
          validUntil: next.notAfter.toISOString(),
          ...(next.reason ? { reason: next.reason } : {}),
        },
        'TLS certificate reloaded',
      );
    } catch (error) {
      logger.error({ err: { message: (error as Error).message } }, 'TLS certificate not reloaded: keeping the current one');
    }
  };
  // A self-signed certificate renews itself a month before it ends, even without a restart.
  const renewal = options.tls?.source.kind === 'self-signed' ? setInterval(() => void reloadTls(), DAY).unref() : undefined;

  return {
    url,
    reloadTls,
    close() {
      clearInterval(renewal);
      for (const s of [server, metricsServer]) {
        s?.close();
        s?.closeAllConnections();
      }
    },
  };
}
