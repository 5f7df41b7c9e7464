import { createHash, randomBytes } from 'node:crypto';
import { RECOVERY_CODE_COUNT } from '@passman/contracts';

// Crockford-like alphabet without look-alikes (0/O, 1/I/L), so a code read off paper is typed right.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

const LENGTH = 16;

/** One code: 16 characters of a 31-letter alphabet (~79 bits), shown as xxxx-xxxx-xxxx-xxxx. */
function newCode(): string {
  const bytes = randomBytes(32);
  let out = '';
  for (const b of bytes) {
    // Rejection sampling keeps every letter equally likely.
    if (b >= 248) continue;
    out += ALPHABET[b % ALPHABET.length];
    if (out.length === LENGTH) break;
  }
  return out.length === LENGTH ? (out.match(/.{4}/g) ?? []).join('-') : newCode();
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
}

/** Spaces, dashes and case are forgiven: `ABCD EFGH …` is `abcd-efgh-…`. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * Only this hash is stored. The codes are random and long enough that a fast hash cannot be
 * searched (and the login throttle bounds online guessing), so no slow hash is needed.
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(`passman-recovery-code:${normalizeRecoveryCode(code)}`)
    .digest('hex');
}
