export { apiBaseUrl, createPassman, type PassmanClient, type PassmanHelpers, type PassmanOptions } from './client.js';
export { findAccount, findTarget } from './resolve.js';
export {
  ApprovalRequiredError,
  AuthenticationError,
  ConflictError,
  NetworkError,
  NotFoundError,
  PassmanError,
  PermissionError,
  RateLimitedError,
  ServerError,
  StepUpRequiredError,
  TLS_CERTIFICATE_UNTRUSTED,
  TLS_FINGERPRINT_MISMATCH,
  TlsError,
  UnavailableError,
  ValidationError,
  WaitTimeoutError,
  toPassmanError,
} from './errors.js';
export {
  ROUTE_GROUPS,
  STREAM_ROUTES,
  type PageItem,
  type RouteClients,
  type RouteGroupClient,
  type RouteMethod,
  type StreamMethod,
  type StreamSettings,
} from './routes.js';
export { readEvents, type ServerSentEvent } from './sse.js';
export { normalizeFingerprint256, type TlsOptions } from './tls.js';
export { DEFAULT_RETRY, type RequestInfo, type RetryOptions } from './transport.js';
export type { WaitOptions } from './wait.js';
// The contracts' types and route objects, so an integrator needs one import.
export * from '@passman/contracts';
export { ApiError, isApiError, type FieldIssue } from '@passman/api-client';
