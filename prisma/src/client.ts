import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

export interface DatabasePoolOptions {
  /** Most connections this process opens. */
  max?: number;
  /** How long a query waits for a free connection before failing (the pg default waits forever). */
  connectionTimeoutMillis?: number;
  /** Server-side cap on any one statement. */
  statementTimeoutMillis?: number;
  idleTimeoutMillis?: number;
}

/** A Prisma client on the pg driver adapter, with explicit pool limits and timeouts. */
export function createPrismaClient(databaseUrl: string, options: DatabasePoolOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 30_000,
    statement_timeout: options.statementTimeoutMillis ?? 15_000,
  });
  return new PrismaClient({ adapter });
}

export type Database = PrismaClient;
