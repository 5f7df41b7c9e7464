import { CreateCredentialRequestSchema, type CreateCredentialRequest } from '@passman/contracts';
import type { TestApi } from '../test-api.js';
import { createAccount } from './account.js';
import { factoryContext } from './context.js';

/**
 * A credential with its first version, stored by the credentials service (sealed in the vault,
 * compliance assessed, audited). Default: a password generated from the account's policy on a new
 * account. Needs an unsealed vault.
 */
export async function createCredential(api: TestApi, accountId?: string, input: Partial<CreateCredentialRequest> = {}) {
  const request = CreateCredentialRequestSchema.parse(Object.keys(input).length > 0 ? { type: 'PASSWORD', ...input } : { type: 'PASSWORD', generate: true });
  return api.services.credentials.create(factoryContext(), accountId ?? (await createAccount(api)).id, request);
}
