import type { CreatePolicyRequest, Policy } from '@passman/contracts';
import { POLICY_DEFAULTS } from '@passman/contracts/limits';

/** Every field of a policy as the form edits it. */
export type PolicyDraft = CreatePolicyRequest;

/** An empty form: a new policy's defaults, the same ones the API applies. */
export const policyDefaults: PolicyDraft = { name: '', ...POLICY_DEFAULTS };

export function draftOf(policy: Policy | undefined): PolicyDraft {
  if (!policy) return policyDefaults;
  const { id: _id, accountCount: _count, createdAt: _created, updatedAt: _updated, ...draft } = policy;
  return draft;
}
