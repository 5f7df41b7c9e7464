export { createApiClient, fillPath, queryString, type ApiClient, type ApiClientOptions } from './client.js';
export { ApiError, isApiError, type FieldIssue, type ProblemDetails } from './errors.js';
export type { CallArgs, CallOptions, CallSettings, RouteBody, RouteLike, RouteParams, RouteQuery, RouteResponse } from './types.js';
