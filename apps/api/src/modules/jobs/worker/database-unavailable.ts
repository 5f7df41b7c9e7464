import { isConnectorError } from '@passman/connectors';

/**
 * PostgreSQL is down, restarting or unreachable (not a fault of the job): Prisma's
 * connection codes, PostgreSQL's shutdown/connection SQLSTATEs, and socket errors.
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const TEXT = /\b(57P0[123]|08(000|001|003|004|006)|ECONNREFUSED|ECONNRESET|EPIPE)\b|Connection terminated|connection timeout|terminating connection|database system is (shutting down|starting up)|Can't reach database server|Server has closed the connection/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  // A target's socket errors (ECONNREFUSED …) are the connector's, with their own retry rules.
  if (isConnectorError(error)) return false;
  for (let e: unknown = error, depth = 0; e && depth < 5; depth += 1) {
    if (typeof e !== 'object') return false;
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && (PRISMA_CODES.has(code) || TEXT.test(code))) return true;
    if (typeof message === 'string' && TEXT.test(message)) return true;
    e = cause;
  }
  return false;
}
