import { MAX_PASSWORD_BYTES, MULTI_LINE_TEXT_PATTERN, SECRET_TEXT_PATTERN, SINGLE_LINE_TEXT_PATTERN, MAX_SSH_PRIVATE_KEY_BYTES, utf8Length } from './limits.js';
import { z } from './zod.js';

/*
 * The text rules every string of every request starts from (the patterns and why: limits.ts).
 * They are patterns, not refinements, so the OpenAPI document states them.
 */

// A field with a stricter pattern of its own adds it after these and names it in
// `.openapi({ pattern })`: the OpenAPI generator shows only the first pattern of a string.

/** Names, filters, reasons, user names: build every single-line text field from this. */
export const SingleLineTextSchema = z
  .string()
  .regex(SINGLE_LINE_TEXT_PATTERN, { message: 'must be one line of text: no control characters (bidirectional ones included), NUL or broken Unicode' });

/** Descriptions: text that may span lines. */
export const MultiLineTextSchema = z.string().regex(MULTI_LINE_TEXT_PATTERN, {
  message: 'must be text: no control characters other than tab and newline (no bidirectional ones), no NUL or broken Unicode',
});

/** An operator's own secret (login password, key passphrase): kept in PassMan, never piped to a host. */
export const SecretTextSchema = z
  .string()
  .regex(SECRET_TEXT_PATTERN, { message: 'must not contain a newline, carriage return, NUL, other control characters or broken Unicode' });

/** UTF-8 bytes within `max` (a string longer than `max` characters already fails `.max`). */
const withinBytes = (max: number) => (value: string) => value.length > max || utf8Length(value) <= max;

/** A password for a target account (see MAX_PASSWORD_BYTES for why that many bytes). */
export const TargetPasswordSchema = SecretTextSchema.min(1)
  .max(MAX_PASSWORD_BYTES)
  .refine(withinBytes(MAX_PASSWORD_BYTES), `must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`)
  .openapi({ description: `At most ${MAX_PASSWORD_BYTES} bytes of UTF-8; no newline, CR, NUL or other control character` });

/** An SSH private key as text: OpenSSH or PEM, multi-line. */
export const PrivateKeyTextSchema = MultiLineTextSchema.min(1)
  .max(MAX_SSH_PRIVATE_KEY_BYTES)
  .refine(withinBytes(MAX_SSH_PRIVATE_KEY_BYTES), `must be at most ${MAX_SSH_PRIVATE_KEY_BYTES} bytes`)
  .openapi({ description: `OpenSSH, PEM PKCS#1 or PKCS#8; at most ${MAX_SSH_PRIVATE_KEY_BYTES} bytes` });
