import type { TestApi } from '../test-api.js';
import { createAccount } from './account.js';
import { factoryContext } from './context.js';

/**
 * A batch of check jobs over `accountIds` (or over `count` new accounts), requested through the
 * jobs service as the bulk endpoint does. Returns what the service returns (the batch and its jobs).
 */
export async function createCheckBatch(api: TestApi, accountIds?: string[], count = 2) {
  const ids = accountIds ?? (await Promise.all(Array.from({ length: count }, async () => (await createAccount(api)).id)));
  return api.services.jobs.bulk(factoryContext(), { kind: 'CHECK', accountIds: ids });
}
