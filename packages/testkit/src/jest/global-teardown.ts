import { rmSync } from 'node:fs';
import { dropDatabase, type TestDatabaseServer } from '../db/test-database.js';
import { findSecretLeaks } from './secret-leaks.js';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__passmanTestDatabase as { server: TestDatabaseServer; databaseUrl: string } | undefined;
  if (!state) return;
  try {
    const leaks = await findSecretLeaks(state.databaseUrl);
    process.stdout.write(`\nsecret-leak check: ${leaks.secrets} secrets of this run searched in ${leaks.lines} log lines: ${leaks.leaked} found\n`);
    if (leaks.leaked > 0) throw new Error(`${leaks.leaked} secrets of this test run appear in log lines (see PASSMAN_TEST_LEAK_DIR)`);
    if (process.env.PASSMAN_TEST_LEAK_DIR) rmSync(process.env.PASSMAN_TEST_LEAK_DIR, { recursive: true, force: true });
  } finally {
    await dropDatabase(state.server.adminUrl, state.databaseUrl);
    await state.server.stop();
  }
}
