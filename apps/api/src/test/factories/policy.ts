import { CreatePolicyRequestSchema, type CreatePolicyRequest } from '@passman/contracts';
import { unique } from '../ids.js';
import type { TestApi } from '../test-api.js';
import { factoryContext } from './context.js';

/** A password policy with a unique name, the defaults a new policy gets, and `overrides`; made by the policies service. */
export async function createPolicy(api: TestApi, overrides: Partial<CreatePolicyRequest> = {}) {
  return api.services.policies.create(factoryContext(), CreatePolicyRequestSchema.parse({ name: unique('policy'), ...overrides }));
}
