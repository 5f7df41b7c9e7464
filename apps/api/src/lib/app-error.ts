/**
 * The one error type of the API. Services throw it with a stable `code`; the problem
 * middleware maps the code to an HTTP status. Messages are for people and never hold secrets.
 */
export const ERROR_STATUS = {
  /** The request could not be read: the message itself is broken. */
  BAD_REQUEST: 400,
  BAD_JSON: 400,
  BAD_URL_ENCODING: 400,
  BAD_CONTENT_ENCODING: 400,
  INVALID_CURSOR: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  /** The login challenge of a second step is unknown, used, expired or no longer matches its user. */
  MFA_CHALLENGE_INVALID: 401,
  /** A wrong, reused or expired second factor (TOTP code, recovery code, passkey assertion). */
  MFA_CODE_INVALID: 401,
  FORBIDDEN: 403,
  /** A checkout or reset under an approval rule, without an approved request of the caller (details: contracts ApprovalRequired). */
  APPROVAL_REQUIRED: 403,
  /** Deciding one's own approval request, in any role, through any group. */
  APPROVAL_OWN_REQUEST: 403,
  /** Single sign-on is the way in: passwords are accepted only from the break-glass admin. */
  OIDC_LOCAL_LOGIN_DISABLED: 403,
  CSRF_FAILED: 403,
  /** A sensitive action from a session whose last authentication is older than the step-up window. */
  STEP_UP_REQUIRED: 403,
  /** A re-authentication that did not prove who the user is (the session goes on). */
  STEP_UP_FAILED: 403,
  /** The MFA policy requires this user to enrol a second factor before anything else. */
  MFA_ENROLMENT_REQUIRED: 403,
  /** Enrolling or removing second factors is for a browser session, never an API token. */
  MFA_SESSION_REQUIRED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  /** A change based on what the caller read, which someone else has changed since (an `expectedVersion` that no longer holds). */
  EDIT_CONFLICT: 409,
  /** The MFA policy requires a second factor: the last one cannot be removed. */
  MFA_FACTOR_REQUIRED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** An import file that is not UTF-8 text (CSV). */
  IMPORT_ENCODING: 422,
  /** An import file without a column the import needs (or a mapping naming no header). */
  IMPORT_COLUMN_MISSING: 422,
  /** An import file that cannot be parsed (broken CSV quoting, a damaged workbook or KeePass file). */
  IMPORT_UNREADABLE: 422,
  /** A KeePass file whose password is missing or wrong. */
  KDBX_PASSWORD_WRONG: 422,
  /** Read fine, but a parameter, query or body field breaks its schema (every issue listed). */
  VALIDATION_FAILED: 422,
  UNPROCESSABLE: 422,
  /** The single sign-on settings would not work (the message says why). */
  OIDC_SETTINGS_INVALID: 422,
  /** A webhook URL that points where PassMan does not send (link-local, metadata, not allowed). */
  WEBHOOK_URL_REFUSED: 422,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  SEALED: 503,
  UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  /** The LDAP directory could not be reached (or refused PassMan's service account): directory users cannot sign in. */
  LDAP_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

export interface AppErrorOptions {
  /** Every field issue (validation errors). */
  errors?: FieldIssue[];
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  /** Safe, non-secret details for the problem body. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
