import type { CreatePolicyRequest, Policy } from '@passman/contracts';

/** Every field of a policy as the form edits it. */
export type PolicyDraft = CreatePolicyRequest;

export const policyDefaults: PolicyDraft = {
  name: '',
  description: '',
  isDefault: false,
  passwordLength: 20,
  useLowercase: true,
  useUppercase: true,
  useDigits: true,
  useSymbols: true,
  minLowercase: 1,
  minUppercase: 1,
  minDigits: 1,
  minSymbols: 1,
  excludedChars: '',
  avoidAmbiguous: false,
  pinLength: 6,
  sshKeyType: 'ssh-rsa',
  sshKeyBits: null,
  rotationIntervalDays: null,
  checkoutExclusive: false,
  checkoutMaxMinutes: null,
  resetAfterCheckin: false,
};

export function draftOf(policy: Policy | undefined): PolicyDraft {
  if (!policy) return policyDefaults;
  const { id: _id, accountCount: _count, createdAt: _created, updatedAt: _updated, ...draft } = policy;
  return draft;
}
