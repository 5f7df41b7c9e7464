import { dropDatabase, type TestDatabaseServer } from '../db/test-database.js';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__passmanTestDatabase as
    | { server: TestDatabaseServer; databaseUrl: string }
    | undefined;
  if (!state) return;
  await dropDatabase(state.server.adminUrl, state.databaseUrl);
  await state.server.stop();
}
