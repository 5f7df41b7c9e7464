import { CreateAccountRequestSchema } from '@passman/contracts';
import type { Prisma } from '@passman/db';
import { createAccountsRepo } from '../../modules/accounts/accounts.repo.js';
import { suffix } from '../ids.js';
import type { TestApi } from '../test-api.js';
import { splitOverrides } from './context.js';
import { createTarget } from './target.js';

const REQUEST_FIELDS = Object.keys(CreateAccountRequestSchema.shape);

/**
 * An account on `targetId` (or on a new target): the create request is validated as the API does,
 * and written by the accounts repo (no audit event). Overrides the request does not take — state a
 * check job or a checkout writes (status, lastCheckedAt, compliance, checkedOutById …) and
 * createdAt — are written to the row afterwards. Returns the database row.
 */
export async function createAccount(api: TestApi, targetId?: string, overrides: Partial<Prisma.AccountUncheckedCreateInput> = {}) {
  const { request, state } = splitOverrides(overrides, REQUEST_FIELDS);
  const input = CreateAccountRequestSchema.parse({ targetId: targetId ?? (await createTarget(api)).id, username: `u_${suffix()}`, ...request });
  const { id } = await createAccountsRepo(api.db).create(input);
  if (Object.keys(state).length > 0) return api.db.account.update({ where: { id }, data: state });
  return api.db.account.findUniqueOrThrow({ where: { id } });
}
