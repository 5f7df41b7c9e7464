/**
 * Input limits and closed lists, defined once for the API, the worker, the connector and the
 * web app. Plain values and predicates, no zod: the web app and the connector import this
 * module (`@passman/contracts/limits`) without pulling the schema library in.
 */

export const CREDENTIAL_TYPES = ['PASSWORD', 'SSH_KEY', 'PIN'] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export * from './ssh-key-types.js';
export * from './policy-defaults.js';

// Job kinds, states and the settlement rules: job-rules.ts (re-exported here for `@passman/contracts/limits`).
export * from './job-rules.js';

/**
 * Longest password (UTF-8 bytes) that works end to end on a target. Measured on Debian 12's
 * OpenSSH 9.2 with PAM: pam_unix refuses a new password of 512 bytes or more
 * (PAM_MAX_RESP_SIZE) both for the account's own `passwd` over stdin and for `chpasswd`
 * (direct or through sudo), so 511 is the longest that can be set; sshd's own cap for
 * password logins is higher (1024). A longer one would be stored and then fail on the host.
 */
export const MAX_PASSWORD_BYTES = 511;

/** An operator's own password: long enough to matter, short enough to hash quickly (argon2id). */
export const OPERATOR_PASSWORD_MIN_LENGTH = 12;
export const OPERATOR_PASSWORD_MAX_LENGTH = 256;
/** The longest secret typed at login or as a key passphrase; more is never a password. */
export const MAX_TYPED_SECRET_LENGTH = 1024;

/** Length of the passwords a policy generates (and the least a typed one needs to comply). */
export const POLICY_PASSWORD_MIN_LENGTH = 8;
export const POLICY_PASSWORD_MAX_LENGTH = 128;

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

/**
 * An operator's user name (PassMan's own login): 2–64 characters, lower-case letters and digits
 * first, then also `.`, `_` and `-`. Requests are trimmed and lower-cased before the check.
 */
export const OPERATOR_USERNAME_MIN_LENGTH = 2;
export const OPERATOR_USERNAME_MAX_LENGTH = 64;
/** `@` lets a username be the email address or user principal name an identity provider knows a person by. */
export const OPERATOR_USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]*$/;

export const isOperatorUsername = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length >= OPERATOR_USERNAME_MIN_LENGTH &&
  value.length <= OPERATOR_USERNAME_MAX_LENGTH &&
  OPERATOR_USERNAME_PATTERN.test(value);

/** Longest display name of an operator, typed or taken from a directory or an identity provider. */
export const DISPLAY_NAME_MAX_LENGTH = 200;

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

/**
 * A policy's excluded characters: printable ASCII without the space, at most 128 of them. Only
 * characters a generator could produce can be excluded, and a space would be invisible in forms.
 */
export const MAX_EXCLUDED_CHARS_LENGTH = 128;
export const EXCLUDED_CHARS_PATTERN = /^[\x21-\x7e]*$/;
export const isExcludedCharsText = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= MAX_EXCLUDED_CHARS_LENGTH && EXCLUDED_CHARS_PATTERN.test(value);

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
 * them before anything is looked up or stored. So are the bidirectional embedding, override and
 * isolate controls (U+202A–U+202E, U+2066–U+2069): they make text show in another order than it
 * is stored, so that a name reads as another one in the console, an export or the audit trail.
 * Right-to-left text needs none of them, and the marks U+200E and U+200F stay allowed. Written
 * without flags, as JSON Schema patterns in the OpenAPI document carry none: a surrogate passes
 * only as half of a pair, and each pattern means the same with or without the `u` flag.
 */

/** One line: no C0/C1 control character (NUL, ESC, DEL …), no bidirectional control, no lone surrogate. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const SINGLE_LINE_TEXT_PATTERN = /^(?:[^\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** As single-line text, but tab, newline and CR are allowed. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const MULTI_LINE_TEXT_PATTERN = /^(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
/** `text` without its bidirectional embedding, override and isolate controls. */
export const withoutBidiControls = (text: string): string => text.replace(/[\u202a-\u202e\u2066-\u2069]/g, '');

/**
 * Text from outside PassMan (a directory's or an identity provider's display name) made what
 * SINGLE_LINE_TEXT_PATTERN asks of a request: tabs and line breaks a space, other control
 * characters (bidirectional ones included) and lone surrogates dropped; then at most `max`
 * characters, without cutting a surrogate pair.
 */
export function asSingleLineText(text: string, max: number): string {
  const clean = text
    .replace(/[\t\n\r\v\f\x85\u2028\u2029]/g, ' ')
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    .replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
  const cut = clean.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Secrets typed by a person: any printable character and tab; never a newline, CR, NUL or lone surrogate. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const SECRET_TEXT_PATTERN = /^(?:[^\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/** One line of text: no NUL, no other control character, no lone surrogate. */
export const isSingleLineText = (text: string): boolean => SINGLE_LINE_TEXT_PATTERN.test(text);

/** Text that may span lines (tab, LF, CR allowed); otherwise as isSingleLineText. */
export const isMultiLineText = (text: string): boolean => MULTI_LINE_TEXT_PATTERN.test(text);

/** Why a typed secret cannot be used; a code, so each app says it in its own words. */
export type SecretIssue = 'EMPTY' | 'LINE_BREAK' | 'CONTROL' | 'TOO_LONG' | 'NOT_A_PIN';

export const SECRET_ISSUE_TEXT: Record<SecretIssue, string> = {
  EMPTY: 'must not be empty',
  LINE_BREAK: 'must not contain a newline, carriage return or NUL',
  CONTROL: 'must not contain control characters or broken Unicode',
  TOO_LONG: `must be at most ${MAX_PASSWORD_BYTES} bytes (UTF-8)`,
  NOT_A_PIN: `must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits`,
};

export const PIN_PATTERN = new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`);
export const isPin = (value: string): boolean => PIN_PATTERN.test(value);

/**
 * A password's issue, or null. Any printable character and tab are fine; never a newline, CR
 * or NUL (secrets travel as stdin lines: `chpasswd` reads `user:password` records, so a newline
 * would inject a second one), nor another control character or a lone surrogate; at most
 * MAX_PASSWORD_BYTES.
 */
export function passwordIssue(secret: string): SecretIssue | null {
  if (secret.length === 0) return 'EMPTY';
  if (/[\n\r\0]/.test(secret)) return 'LINE_BREAK';
  if (!SECRET_TEXT_PATTERN.test(secret)) return 'CONTROL';
  if (utf8Length(secret) > MAX_PASSWORD_BYTES) return 'TOO_LONG';
  return null;
}

/** An SSH private key's issue, or null: multi-line PEM/OpenSSH text within MAX_SSH_PRIVATE_KEY_BYTES. */
export function privateKeyTextIssue(text: string): SecretIssue | null {
  if (text.length === 0) return 'EMPTY';
  if (!isMultiLineText(text)) return 'CONTROL';
  if (utf8Length(text) > MAX_SSH_PRIVATE_KEY_BYTES) return 'TOO_LONG';
  return null;
}

/** The issue of a typed secret of a credential type: a password, a PIN or an SSH private key. */
export function typedSecretIssue(type: CredentialType, value: string): SecretIssue | null {
  if (type === 'SSH_KEY') return privateKeyTextIssue(value);
  if (type === 'PIN') return isPin(value) ? null : 'NOT_A_PIN';
  return passwordIssue(value);
}

/** The English sentence of a typed secret's issue (API and connector messages), or null. */
export function typedSecretProblem(type: CredentialType, value: string): string | null {
  const issue = typedSecretIssue(type, value);
  if (!issue) return null;
  return issue === 'TOO_LONG' && type === 'SSH_KEY' ? `must be at most ${MAX_SSH_PRIVATE_KEY_BYTES} bytes` : SECRET_ISSUE_TEXT[issue];
}

export const passwordProblem = (secret: string): string | null => typedSecretProblem('PASSWORD', secret);
