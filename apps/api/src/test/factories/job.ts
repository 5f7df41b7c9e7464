import type { TestApi } from '../test-api.js';
import { createAccount } from './account.js';
import { factoryContext } from './context.js';

/**
 * A check job on `accountId` (or on a new account), requested through the jobs service: stored,
 * audited and queued. It runs only if the test starts a worker. Needs an unsealed vault.
 */
export async function createCheckJob(api: TestApi, accountId?: string) {
  return api.services.jobs.requestCheck(factoryContext(), accountId ?? (await createAccount(api)).id);
}
