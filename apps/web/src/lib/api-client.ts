import { createApiClient } from '@passman/api-client';

/**
 * The web app's one client of the API (`/api/v1`, same origin): `api.call(route, …)` with a
 * route of `@passman/contracts`. The browser sends the session cookie; the client adds the
 * CSRF token (kept in memory) to every unsafe method; a 401 calls the `onUnauthorized` handler.
 */
export const api = createApiClient({ baseUrl: '/api/v1' });

export const setCsrfToken = api.setCsrfToken;
export const onUnauthorized = api.onUnauthorized;
export const onStepUp = api.onStepUp;

export { ApiError, isApiError, type FieldIssue } from '@passman/api-client';

/** A page of a list route (`limit` + opaque `cursor`). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
