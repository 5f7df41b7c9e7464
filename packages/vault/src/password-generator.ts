/**
 * Generates passwords from a policy: the required minimum of each class is drawn
 * from that class, the rest from the union of the allowed characters, then the whole
 * is shuffled (crypto Fisher–Yates) so required characters sit anywhere.
 * Every draw is uniform (rejection sampling, see random.ts).
 */
import { createRandomSampler } from './random.js';
import {
  AMBIGUOUS_CHARS,
  assertPasswordPolicy,
  CHARACTER_CLASSES,
  classSettings,
  CLASS_NAMES,
  type CharacterClassName,
  type PasswordPolicy,
} from './password-policy.js';
import { VaultError } from './vault-error.js';

export interface ResolvedPasswordPolicy {
  length: number;
  /** The classes in use, each with its allowed characters and required minimum. */
  classes: { name: CharacterClassName; chars: string; min: number }[];
  /** Every character a generated password may contain. */
  alphabet: string;
}

/**
 * Works out the allowed characters of a policy. Throws POLICY_INVALID for malformed
 * values and POLICY_UNSATISFIABLE when no password can meet it (details.reason says why).
 */
export function resolvePasswordPolicy(policy: PasswordPolicy): ResolvedPasswordPolicy {
  assertPasswordPolicy(policy);
  const removed = new Set([...policy.excludedChars, ...(policy.avoidAmbiguous ? AMBIGUOUS_CHARS : '')]);
  const classes: ResolvedPasswordPolicy['classes'] = [];
  for (const name of CLASS_NAMES) {
    const { used, min } = classSettings(policy, name);
    if (!used) continue;
    const chars = [...CHARACTER_CLASSES[name]].filter((c) => !removed.has(c)).join('');
    if (chars.length === 0) {
      if (min > 0) {
        throw unsatisfiable('CLASS_EMPTY', `the policy requires ${name} but excludes every one of them`, { class: name });
      }
      continue;
    }
    classes.push({ name, chars, min });
  }
  if (classes.length === 0) throw unsatisfiable('NO_CHARACTERS', 'the policy allows no characters at all');
  const required = classes.reduce((sum, c) => sum + c.min, 0);
  if (required > policy.passwordLength) {
    throw unsatisfiable('MINIMUMS_EXCEED_LENGTH', `the per-class minimums add up to ${required}, more than the length ${policy.passwordLength}`, {
      required,
      length: policy.passwordLength,
    });
  }
  return { length: policy.passwordLength, classes, alphabet: classes.map((c) => c.chars).join('') };
}

export function generatePassword(policy: PasswordPolicy): string {
  const { length, classes, alphabet } = resolvePasswordPolicy(policy);
  const random = createRandomSampler();
  try {
    const chars: string[] = [];
    for (const { chars: set, min } of classes) {
      for (let i = 0; i < min; i += 1) chars.push(set[random.index(set.length)] as string);
    }
    while (chars.length < length) chars.push(alphabet[random.index(alphabet.length)] as string);
    return random.shuffle(chars).join('');
  } finally {
    random.wipe();
  }
}

function unsatisfiable(reason: string, message: string, extra: Record<string, unknown> = {}): VaultError {
  return new VaultError('POLICY_UNSATISFIABLE', message, { details: { reason, ...extra } });
}
