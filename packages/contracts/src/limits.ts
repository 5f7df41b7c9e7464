/**
 * Input limits and closed lists, defined once for the API, the worker, the connector and the
 * web app. Plain values and predicates, no zod: the web app and the connector import this
 * module (`@passman/contracts/limits`) without pulling the schema library in.
 */

export const CREDENTIAL_TYPES = ['PASSWORD', 'SSH_KEY', 'PIN'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

/** ssh-rsa first: it is the default key, as the manual names it. ssh-dss is legacy (weak). */
export const SSH_KEY_TYPES = ['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-dss', 'ssh-ed25519'] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

export const isSshKeyType = (value: unknown): value is SshKeyType => typeof value === 'string' && (SSH_KEY_TYPES as readonly string[]).includes(value);

export const JOB_KINDS = ['CHECK', 'RESET', 'CHECKOUT', 'CHECKIN'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
/** Kinds a bulk request may start. */
export const BULK_JOB_KINDS = ['CHECK', 'RESET'] as const satisfies readonly JobKind[];

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'unverified'] as const;
export type JobState = (typeof JOB_STATES)[number];
/** States a job never leaves. `unverified` may still settle (recovery), so it is not final. */
export const FINAL_JOB_STATES = ['succeeded', 'failed'] as const satisfies readonly JobState[];

/**
 * Longest password (UTF-8 bytes) that works end to end on a target. Measured on Debian 12's
 * OpenSSH 9.2 with PAM: pam_unix refuses a new password of 512 bytes or more
 * (PAM_MAX_RESP_SIZE) both for the account's own `passwd` over stdin and for `chpasswd`
 * (direct or through sudo), so 511 is the longest that can be set; sshd's own cap for
 * password logins is higher (1024). A longer one would be stored and then fail on the host.
 */
export const MAX_PASSWORD_BYTES = 511;

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 12;

/**
 * Largest SSH private key text accepted (OpenSSH or PEM, UTF-8 bytes). The largest key
 * imported, RSA-16384, takes about 12.5 KB in either format (an RSA-4096 key about 3.4 KB).
 */
export const MAX_SSH_PRIVATE_KEY_BYTES = 32_768;

/** Years a timestamp may name: PostgreSQL and JavaScript agree on them (year 0 and 5-digit years are neither). */
export const MIN_TIMESTAMP_YEAR = 1970;
export const MAX_TIMESTAMP_YEAR = 9999;

/** Longest target-account user name: Linux's utmp field (UT_NAMESIZE), useradd's limit. */
export const MAX_TARGET_USERNAME_LENGTH = 32;

/**
 * A login on a target: it reaches commands on the host (`chpasswd` records, `sudo -u`, `su`),
 * so it is held to Debian's default NAME_REGEX: a-z or `_` first, then a-z 0-9 `_` `-`.
 * No trailing `$` (Samba machine accounts): `$` is a shell metacharacter, and such accounts
 * do not log in over SSH, so it is refused everywhere rather than quoted everywhere.
 */
export const TARGET_USERNAME_PATTERN = /^[a-z_][a-z0-9_-]*$/;

export const isTargetUsername = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_TARGET_USERNAME_LENGTH && TARGET_USERNAME_PATTERN.test(value);

/** UTF-8 length, the unit PAM and the wire count in. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/*
 * The text rules every string of every request starts from. NUL would reach PostgreSQL (which
 * refuses it in text), lone surrogates would reach jsonb (which refuses them too) and control
 * characters would reach logs, terminals and commands on targets; the schemas refuse all of
 * them before anything is looked up or stored. Written without flags, as JSON Schema patterns
 * in the OpenAPI document carry none: a surrogate passes only as half of a pair, and each
 * pattern means the same with or without the `u` flag.
 */

/** One line: no C0/C1 control character (NUL, ESC, DEL …), no lone surrogate. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const SINGLE_LINE_TEXT_PATTERN = /^(?:[^\x00-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** As single-line text, but tab, newline and CR are allowed. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const MULTI_LINE_TEXT_PATTERN = /^(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** Secrets typed by a person: any printable character and tab; never a newline, CR, NUL or lone surrogate. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const SECRET_TEXT_PATTERN = /^(?:[^\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/** One line of text: no NUL, no other control character, no lone surrogate. */
export const isSingleLineText = (text: string): boolean => SINGLE_LINE_TEXT_PATTERN.test(text);

/** Text that may span lines (tab, LF, CR allowed); otherwise as isSingleLineText. */
export const isMultiLineText = (text: string): boolean => MULTI_LINE_TEXT_PATTERN.test(text);

/**
 * Why a password or PIN cannot be used, or null. Any printable character and tab are fine;
 * never a newline, CR or NUL (secrets travel as stdin lines: `chpasswd` reads `user:password`
 * records, so a newline would inject a second one), nor another control character or a lone
 * surrogate; at most MAX_PASSWORD_BYTES.
 */
export function passwordProblem(secret: string): string | null {
  if (secret.length === 0) return 'must not be empty';
  if (/[\n\r\0]/.test(secret)) return 'must not contain a newline, carriage return or NUL';
  if (!SECRET_TEXT_PATTERN.test(secret)) return 'must not contain control characters or broken Unicode';
  if (utf8Length(secret) > MAX_PASSWORD_BYTES) return `must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`;
  return null;
}

/** Why an SSH private key's text cannot be taken, or null: multi-line PEM/OpenSSH text within the size limit. */
export function privateKeyTextProblem(text: string): string | null {
  if (text.length === 0) return 'must not be empty';
  if (!isMultiLineText(text)) return 'must not contain NUL, control characters or broken Unicode';
  if (utf8Length(text) > MAX_SSH_PRIVATE_KEY_BYTES) return `must be at most ${MAX_SSH_PRIVATE_KEY_BYTES} bytes`;
  return null;
}

export const PIN_PATTERN = new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`);
export const isPin = (value: string): boolean => PIN_PATTERN.test(value);
