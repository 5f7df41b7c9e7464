import { isConnectorError } from '@passman/connectors';

/**
 * PostgreSQL is down, restarting or unreachable — not a fault of the job. Told by codes:
 * Prisma's connection errors, the pg adapter's error kinds (under `meta.driverAdapterError`,
 * also for raw queries, which Prisma reports as P2010), PostgreSQL's shutdown and connection
 * SQLSTATEs, and Node's socket errors. The one exception is node-postgres' own "connection
 * ended" errors, which carry no code at all: those few exact messages are listed below.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** admin_shutdown, crash_shutdown, cannot_connect_now; class 08 (connection exception); too_many_connections. */
const SQLSTATES = /^(57P0[123]|08\d{3}|53300)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);
// node-postgres (pg/lib/client.js, pg-pool) raises these without a code.
const PG_CODELESS = new Set(['Connection terminated unexpectedly', 'Connection terminated', 'Connection terminated due to connection timeout', 'timeout exceeded when trying to connect']);

interface ErrorShape {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

export function isDatabaseUnavailable(error: unknown): boolean {
  // A target's socket errors (ECONNREFUSED …) are the connector's, with their own retry rules.
  if (isConnectorError(error)) return false;
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 8) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, kind, originalCode, message, cause, meta } = e as ErrorShape;
    if (typeof code === 'string' && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATES.test(code))) return true;
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    if (typeof originalCode === 'string' && SQLSTATES.test(originalCode)) return true;
    if (typeof message === 'string' && PG_CODELESS.has(message)) return true;
    queue.push(cause, meta?.driverAdapterError);
  }
  return false;
}
