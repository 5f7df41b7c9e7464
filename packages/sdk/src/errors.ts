import { ApiError } from '@passman/api-client';

type ApiErrorInit = ConstructorParameters<typeof ApiError>[0];

/**
 * Every error the SDK throws for a call: the API's problem+json (`status`, the stable `code`,
 * field `errors`, `extensions`) or a failure to reach it (status 0). Subclasses say which kind,
 * so a caller branches with `instanceof` and reads `code` for the exact reason; never the message.
 */
export class PassmanError extends ApiError {
  override readonly name: string = 'PassmanError';
}

/** 401: no session or token, an expired or revoked one, or a wrong password or second factor. */
export class AuthenticationError extends PassmanError {
  override readonly name: string = 'AuthenticationError';
}

/** 403: authenticated, but not allowed (role, token scope, object permission, CSRF). */
export class PermissionError extends PassmanError {
  override readonly name: string = 'PermissionError';
}

/** 403 STEP_UP_REQUIRED: a session must prove its user again (`stepUp.reauthenticate`) before this action. */
export class StepUpRequiredError extends PermissionError {
  override readonly name: string = 'StepUpRequiredError';
}

/** 403 APPROVAL_REQUIRED: an approval rule covers the account; ask for one (`approvals`) and use it. */
export class ApprovalRequiredError extends PermissionError {
  override readonly name: string = 'ApprovalRequiredError';
}

/** 404: no such object, or one the caller may not see (the API does not tell them apart). */
export class NotFoundError extends PassmanError {
  override readonly name: string = 'NotFoundError';
}

/** 409: the object's state forbids it now (checked out by someone else, already exists, in sync …). */
export class ConflictError extends PassmanError {
  override readonly name: string = 'ConflictError';
}

/** 400, 413, 415, 422: the request itself is wrong; `errors` lists every field issue. */
export class ValidationError extends PassmanError {
  override readonly name: string = 'ValidationError';
}

/** 429: too many requests or streams; `retryAfter` says when to come back. */
export class RateLimitedError extends PassmanError {
  override readonly name: string = 'RateLimitedError';
}

/** 502, 503, 504: PassMan (or the proxy before it) cannot serve now: sealed vault, database down, draining. */
export class UnavailableError extends PassmanError {
  override readonly name: string = 'UnavailableError';
}

/** 500 and any other status: a fault on the server; `requestId` finds it in PassMan's log. */
export class ServerError extends PassmanError {
  override readonly name: string = 'ServerError';
}

/** Status 0: PassMan could not be reached (refused, unresolvable, reset, timed out). `reason` holds the system code. */
export class NetworkError extends PassmanError {
  override readonly name: string = 'NetworkError';
  /** The system error code, e.g. `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, when there is one. */
  readonly reason: string | undefined;

  constructor(init: ApiErrorInit & { reason?: string | undefined }) {
    super(init);
    this.reason = init.reason;
  }
}

/**
 * Status 0: the TLS connection was refused on our side because the server's certificate is not
 * the one we trust. `TLS_FINGERPRINT_MISMATCH` (a pin is set and the certificate differs) or
 * `TLS_CERTIFICATE_UNTRUSTED` (no pin, and no trusted CA signed it: pin its fingerprint or give its CA).
 */
export class TlsError extends NetworkError {
  override readonly name: string = 'TlsError';
}

/** A `waitForJob`/`waitForBatch` that reached its timeout before the job or batch settled. */
export class WaitTimeoutError extends PassmanError {
  override readonly name: string = 'WaitTimeoutError';
}

export const TLS_FINGERPRINT_MISMATCH = 'TLS_FINGERPRINT_MISMATCH';
export const TLS_CERTIFICATE_UNTRUSTED = 'TLS_CERTIFICATE_UNTRUSTED';

/** OpenSSL's and Node's codes for a certificate no trusted CA vouches for, or for another name. */
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The first system error code (`ECONNREFUSED`, a TLS code, ours) found along an error's causes. */
function causeCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'NETWORK_ERROR' && code !== 'UND_ERR_SOCKET') return code;
    // AggregateError (several addresses tried): the first attempt's reason.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function initOf(error: ApiError): ApiErrorInit {
  return {
    status: error.status,
    code: error.code,
    title: error.title,
    detail: error.detail,
    requestId: error.requestId,
    errors: error.errors,
    retryAfter: error.retryAfter,
    extensions: error.extensions,
    cause: error.cause,
  };
}

/** The typed error for an `ApiError` of the api-client (already typed ones pass through). */
export function toPassmanError(error: ApiError): PassmanError {
  if (error instanceof PassmanError) return error;
  const init = initOf(error);
  if (error.status === 0) {
    const reason = causeCode(error.cause);
    if (reason === TLS_FINGERPRINT_MISMATCH) {
      return new TlsError({ ...init, code: TLS_FINGERPRINT_MISMATCH, detail: 'the server’s certificate does not have the pinned SHA-256 fingerprint', reason });
    }
    if (reason && UNTRUSTED_CERTIFICATE_CODES.has(reason)) {
      return new TlsError({
        ...init,
        code: TLS_CERTIFICATE_UNTRUSTED,
        detail: `the server’s certificate is not trusted (${reason}): pin its SHA-256 fingerprint, as PassMan prints it at start, or give its CA`,
        reason,
      });
    }
    return new NetworkError({ ...init, detail: `PassMan could not be reached${reason ? ` (${reason})` : ''}`, reason });
  }
  if (error.code === 'STEP_UP_REQUIRED') return new StepUpRequiredError(init);
  if (error.code === 'APPROVAL_REQUIRED') return new ApprovalRequiredError(init);
  switch (error.status) {
    case 401:
      return new AuthenticationError(init);
    case 403:
      return new PermissionError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 400:
    case 413:
    case 415:
    case 422:
      return new ValidationError(init);
    case 429:
      return new RateLimitedError(init);
    case 502:
    case 503:
    case 504:
      return new UnavailableError(init);
    default:
      return new ServerError(init);
  }
}

/** Errors of a call as the SDK throws them: an `ApiError` becomes its typed subclass; anything else (an abort) as it was. */
export function typed(error: unknown): unknown {
  return error instanceof ApiError ? toPassmanError(error) : error;
}
