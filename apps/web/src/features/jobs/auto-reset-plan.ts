import type { Credential } from '@passman/contracts';

/** Why an account cannot be auto-reset: nothing to reset, no obvious choice, or only a PIN (never changed on an SSH target). */
export type AutoResetRefusal = 'noCredential' | 'ambiguous' | 'pinOnly';

export type AutoResetPlan = { credential: Credential; refusal?: undefined } | { credential?: undefined; refusal: AutoResetRefusal };

/**
 * What Auto-reset changes (a Reset with a generated secret): the account's password, or
 * its only credential. With several credentials and no password the operator must choose, in
 * Reset Credentials.
 */
export function autoResetPlan(credentials: readonly Credential[]): AutoResetPlan {
  const password = credentials.find((c) => c.type === 'PASSWORD');
  if (password) return { credential: password };
  const [only, ...others] = credentials;
  if (!only) return { refusal: 'noCredential' };
  if (others.length > 0) return { refusal: 'ambiguous' };
  if (only.type === 'PIN') return { refusal: 'pinOnly' };
  return { credential: only };
}
