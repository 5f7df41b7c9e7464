import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigratedDatabase, startTestDatabaseServer } from '../db/test-database.js';

/**
 * Runs once per `npm test`: picks the PostgreSQL server, creates one migrated database
 * for the run and hands its URL to every test worker. Tests keep out of each other's
 * way with factories that make unique rows, never by sharing rows.
 */
export default async function globalSetup(): Promise<void> {
  const server = await startTestDatabaseServer();
  const databaseUrl = await createMigratedDatabase(server.adminUrl);
  process.env.PASSMAN_TEST_ADMIN_DATABASE_URL = server.adminUrl;
  process.env.PASSMAN_TEST_DATABASE_URL = databaseUrl;
  process.env.PASSMAN_TEST_LEAK_DIR = mkdtempSync(join(tmpdir(), 'passman-test-leaks-'));
  // The audit key every test API of this run shares (apps/api/src/test/harness.ts says why).
  process.env.PASSMAN_TEST_AUDIT_SECRET = randomBytes(32).toString('base64');
  (globalThis as Record<string, unknown>).__passmanTestDatabase = { server, databaseUrl };
}
