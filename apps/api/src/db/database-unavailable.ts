import { isConnectorError } from '@passman/connectors';
import { someLayer } from './pg-errors.js';

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
const PG_CODELESS = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  // A target's socket errors (ECONNREFUSED …) are the connector's, with their own retry rules.
  if (isConnectorError(error)) return false;
  return someLayer(
    error,
    ({ code, kind, originalCode, message }) =>
      (typeof code === 'string' && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATES.test(code))) ||
      (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) ||
      (typeof originalCode === 'string' && SQLSTATES.test(originalCode)) ||
      (typeof message === 'string' && PG_CODELESS.has(message)),
  );
}
