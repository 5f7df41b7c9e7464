/**
 * Password and PIN policies. Field names match the `policies` table (Prisma model
 * Policy), so a policy row can be passed as it is.
 */
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS, POLICY_DEFAULTS, POLICY_PASSWORD_MAX_LENGTH, POLICY_PASSWORD_MIN_LENGTH } from '@passman/contracts/limits';
import { VaultError } from './vault-error.js';

export interface PasswordPolicy {
  /** Length of generated passwords, and the minimum length of typed ones (8–128). */
  passwordLength: number;
  useLowercase: boolean;
  useUppercase: boolean;
  useDigits: boolean;
  useSymbols: boolean;
  /** Minimum count per class; ignored for a class that is not used. */
  minLowercase: number;
  minUppercase: number;
  minDigits: number;
  minSymbols: number;
  /** Characters never generated (and noncompliant when typed). */
  excludedChars: string;
  /** Leave out characters easily mistaken for one another (AMBIGUOUS_CHARS) when generating. */
  avoidAmbiguous: boolean;
}

export interface PinPolicy {
  /** 4–12 digits. */
  pinLength: number;
}

// The contracts' limits, under the names this package has always used.
export const PASSWORD_LENGTH_MIN = POLICY_PASSWORD_MIN_LENGTH;
export const PASSWORD_LENGTH_MAX = POLICY_PASSWORD_MAX_LENGTH;
export const PIN_LENGTH_MIN = PIN_MIN_DIGITS;
export const PIN_LENGTH_MAX = PIN_MAX_DIGITS;

/** A new policy's settings (the contracts' POLICY_DEFAULTS), as this package's policy types. */
export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  passwordLength: POLICY_DEFAULTS.passwordLength,
  useLowercase: POLICY_DEFAULTS.useLowercase,
  useUppercase: POLICY_DEFAULTS.useUppercase,
  useDigits: POLICY_DEFAULTS.useDigits,
  useSymbols: POLICY_DEFAULTS.useSymbols,
  minLowercase: POLICY_DEFAULTS.minLowercase,
  minUppercase: POLICY_DEFAULTS.minUppercase,
  minDigits: POLICY_DEFAULTS.minDigits,
  minSymbols: POLICY_DEFAULTS.minSymbols,
  excludedChars: POLICY_DEFAULTS.excludedChars,
  avoidAmbiguous: POLICY_DEFAULTS.avoidAmbiguous,
});
export const DEFAULT_PIN_POLICY: Readonly<PinPolicy> = Object.freeze({ pinLength: POLICY_DEFAULTS.pinLength });

export type CharacterClassName = 'lowercase' | 'uppercase' | 'digits' | 'symbols';

/** Printable ASCII only: no space, no control character can ever be generated. */
export const CHARACTER_CLASSES: Readonly<Record<CharacterClassName, string>> = Object.freeze({
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
});

/** Characters read or typed wrongly in many fonts: zero/oh, one/ell/eye/pipe. */
export const AMBIGUOUS_CHARS = '0Oo1lI|';

export const CLASS_NAMES: readonly CharacterClassName[] = ['lowercase', 'uppercase', 'digits', 'symbols'];

export function classSettings(policy: PasswordPolicy, name: CharacterClassName): { used: boolean; min: number } {
  switch (name) {
    case 'lowercase':
      return { used: policy.useLowercase, min: policy.minLowercase };
    case 'uppercase':
      return { used: policy.useUppercase, min: policy.minUppercase };
    case 'digits':
      return { used: policy.useDigits, min: policy.minDigits };
    case 'symbols':
      return { used: policy.useSymbols, min: policy.minSymbols };
  }
}

/** Checks types and ranges (POLICY_INVALID); satisfiability is the generator's business. */
export function assertPasswordPolicy(policy: PasswordPolicy): void {
  const invalid = (message: string) => new VaultError('POLICY_INVALID', message);
  if (policy === null || typeof policy !== 'object') throw invalid('the password policy must be an object');
  const { passwordLength } = policy;
  if (!Number.isInteger(passwordLength) || passwordLength < PASSWORD_LENGTH_MIN || passwordLength > PASSWORD_LENGTH_MAX) {
    throw invalid(`password length must be an integer from ${PASSWORD_LENGTH_MIN} to ${PASSWORD_LENGTH_MAX}`);
  }
  for (const name of CLASS_NAMES) {
    const { used, min } = classSettings(policy, name);
    if (typeof used !== 'boolean') throw invalid(`whether to use ${name} must be true or false`);
    if (!Number.isInteger(min) || min < 0 || min > PASSWORD_LENGTH_MAX) {
      throw invalid(`the minimum number of ${name} must be an integer from 0 to ${PASSWORD_LENGTH_MAX}`);
    }
  }
  if (typeof policy.excludedChars !== 'string') throw invalid('excluded characters must be a string');
  if (typeof policy.avoidAmbiguous !== 'boolean') throw invalid('avoidAmbiguous must be true or false');
}

export function assertPinPolicy(policy: PinPolicy): void {
  const length = policy?.pinLength;
  if (!Number.isInteger(length) || length < PIN_LENGTH_MIN || length > PIN_LENGTH_MAX) {
    throw new VaultError('POLICY_INVALID', `PIN length must be an integer from ${PIN_LENGTH_MIN} to ${PIN_LENGTH_MAX}`);
  }
}
