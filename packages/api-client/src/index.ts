export { createApiClient, fillPath, queryString, STEP_UP_REQUIRED_CODE, type ApiClient, type ApiClientOptions } from './client.js';
export { ApiError, isApiError, toApiError, type FieldIssue, type ProblemDetails } from './errors.js';
export type { CallArgs, CallOptions, CallSettings, RouteBody, RouteLike, RouteParams, RouteQuery, RouteResponse } from './types.js';
