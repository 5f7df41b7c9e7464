/**
 * Whether a typed secret meets its policy (the account's Compliant/Noncompliant).
 * A typed password complies when it is at least the policy length, has the minimum
 * of every class the policy uses, and holds no excluded character, no character of
 * a class the policy leaves out, and no control character. Look-alike avoidance is
 * a generation convenience only. Reasons never quote the secret.
 */
import {
  assertPasswordPolicy,
  assertPinPolicy,
  CHARACTER_CLASSES,
  classSettings,
  CLASS_NAMES,
  type CharacterClassName,
  type PasswordPolicy,
  type PinPolicy,
} from './password-policy.js';

export type ComplianceReasonCode =
  | 'TOO_SHORT'
  | 'TOO_FEW_LOWERCASE'
  | 'TOO_FEW_UPPERCASE'
  | 'TOO_FEW_DIGITS'
  | 'TOO_FEW_SYMBOLS'
  | 'CLASS_NOT_ALLOWED'
  | 'EXCLUDED_CHARACTER'
  | 'CONTROL_CHARACTER'
  | 'NOT_DIGITS';

export interface ComplianceReason {
  code: ComplianceReasonCode;
  message: string;
}

export interface ComplianceResult {
  compliant: boolean;
  reasons: ComplianceReason[];
}

const TOO_FEW: Record<CharacterClassName, ComplianceReasonCode> = {
  lowercase: 'TOO_FEW_LOWERCASE',
  uppercase: 'TOO_FEW_UPPERCASE',
  digits: 'TOO_FEW_DIGITS',
  symbols: 'TOO_FEW_SYMBOLS',
};

/** C0 controls, DEL and C1 controls. */
function hasControlCharacter(s: string): boolean {
  for (const c of s) {
    const code = c.codePointAt(0) as number;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export function checkPasswordCompliance(secret: string, policy: PasswordPolicy): ComplianceResult {
  assertPasswordPolicy(policy);
  const chars = [...secret]; // code points, so an emoji counts once
  const reasons: ComplianceReason[] = [];
  if (chars.length < policy.passwordLength) {
    reasons.push({ code: 'TOO_SHORT', message: `must be at least ${policy.passwordLength} characters long` });
  }
  for (const name of CLASS_NAMES) {
    const { used, min } = classSettings(policy, name);
    const count = chars.filter((c) => CHARACTER_CLASSES[name].includes(c)).length;
    if (!used && count > 0) {
      reasons.push({ code: 'CLASS_NOT_ALLOWED', message: `must not contain ${name}` });
    } else if (used && count < min) {
      reasons.push({ code: TOO_FEW[name], message: `must contain at least ${min} ${name}` });
    }
  }
  const excluded = new Set(policy.excludedChars);
  if (chars.some((c) => excluded.has(c))) {
    reasons.push({ code: 'EXCLUDED_CHARACTER', message: 'contains a character the policy excludes' });
  }
  if (hasControlCharacter(secret)) {
    reasons.push({ code: 'CONTROL_CHARACTER', message: 'contains a control character (such as a newline, tab or NUL)' });
  }
  return { compliant: reasons.length === 0, reasons };
}

export function checkPinCompliance(pin: string, policy: PinPolicy): ComplianceResult {
  assertPinPolicy(policy);
  const reasons: ComplianceReason[] = [];
  if (!/^[0-9]*$/.test(pin)) reasons.push({ code: 'NOT_DIGITS', message: 'must contain digits only' });
  if ([...pin].length < policy.pinLength) {
    reasons.push({ code: 'TOO_SHORT', message: `must be at least ${policy.pinLength} digits long` });
  }
  return { compliant: reasons.length === 0, reasons };
}
