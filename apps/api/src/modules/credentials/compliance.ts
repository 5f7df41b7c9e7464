import type { Policy, SshKeyType } from '@passman/contracts';
import { checkPasswordCompliance, checkPinCompliance, isWeakSshKey } from '@passman/vault';

/** An account is Compliant when every CURRENT secret meets its policy; null when none was assessed. */
export function complianceOf(flags: (boolean | null)[]): 'Compliant' | 'Noncompliant' | null {
  const assessed = flags.filter((f): f is boolean => f !== null);
  if (assessed.length === 0) return null;
  return assessed.every(Boolean) ? 'Compliant' : 'Noncompliant';
}

/** Whether a password or PIN meets the policy. */
export function secretCompliance(type: 'PASSWORD' | 'PIN', secret: string, policy: Policy): boolean {
  return (type === 'PASSWORD' ? checkPasswordCompliance(secret, policy) : checkPinCompliance(secret, policy)).compliant;
}

/**
 * Whether an SSH key meets the policy: a key of the policy's type needs at least its size (the
 * policy chose that type, so a key generated to it always complies — Auto-reset makes an account
 * Compliant); a key of another type complies unless it is weak (DSA, RSA under 2048 bits).
 */
export function sshKeyCompliance(key: { type: SshKeyType; bits: number }, policy: Pick<Policy, 'sshKeyType' | 'sshKeyBits'>): boolean {
  if (key.type === policy.sshKeyType) return key.bits >= (policy.sshKeyBits ?? key.bits);
  return !isWeakSshKey(key.type, key.bits);
}

/**
 * The policy fields that decide whether a stored secret complies (look-alike avoidance only
 * steers generation): when one of them changes, the secrets under the policy are re-assessed.
 */
const COMPLIANCE_RULES = [
  'passwordLength',
  'useLowercase',
  'useUppercase',
  'useDigits',
  'useSymbols',
  'minLowercase',
  'minUppercase',
  'minDigits',
  'minSymbols',
  'excludedChars',
  'pinLength',
  'sshKeyType',
  'sshKeyBits',
] as const satisfies readonly (keyof Policy)[];

export const complianceRulesDiffer = (a: Policy, b: Policy) => COMPLIANCE_RULES.some((field) => a[field] !== b[field]);
