import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from '../loopback.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, startEmbeddedPostgres } from '@passman/db';
import pg from 'pg';

export interface TestDatabaseServer {
  /** URL of a maintenance database on the server (used to create and drop test databases). */
  adminUrl: string;
  stop(): Promise<void>;
}

export { freePort };

/**
 * The PostgreSQL tests run against: the server of `DATABASE_URL` when set (CI and
 * developers with a local server), else a throwaway embedded cluster.
 */
export async function startTestDatabaseServer(): Promise<TestDatabaseServer> {
  const url = process.env.DATABASE_URL;
  if (url) return { adminUrl: url, stop: async () => undefined };
  const dataDir = await mkdtemp(join(tmpdir(), 'passman-test-pg-'));
  const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'postgres' });
  return {
    adminUrl: embedded.url,
    stop: async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function onAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name on the server; returns its URL. */
export async function createEmptyDatabase(adminUrl: string, prefix = 'passman_test'): Promise<string> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await onAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return withDatabase(adminUrl, name);
}

/** Creates a unique database and applies every migration to it. */
export async function createMigratedDatabase(adminUrl: string, prefix?: string): Promise<string> {
  const url = await createEmptyDatabase(adminUrl, prefix);
  await migrate(url);
  return url;
}

export async function dropDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await onAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`));
}
