import { hasMessage, t } from '@/i18n';
import { isApiError } from './api-client';

/**
 * A sentence for the user about a failed call: the catalogue's text for the API's stable
 * `code` when there is one (`errors.<CODE>`), else a generic sentence. The API's own
 * `detail` is English server text and is not shown, so every language reads alike.
 */
export function errorMessage(error: unknown): string {
  if (!isApiError(error)) return t('errors.generic');
  if (error.code === 'RATE_LIMITED') {
    return error.retryAfter === undefined ? t('errors.RATE_LIMITED_SOON') : t('errors.RATE_LIMITED', { seconds: Math.max(1, error.retryAfter) });
  }
  const key = `errors.${error.code}`;
  if (hasMessage(key)) return t(key);
  if (error.status === 403) return t('errors.FORBIDDEN');
  if (error.status === 404) return t('errors.NOT_FOUND');
  if (error.status === 502 || error.status === 503 || error.status === 504) {
    return t('errors.UNAVAILABLE');
  }
  return t('errors.generic');
}

/** The request id to quote to an administrator, when the API sent one. */
export function errorRequestId(error: unknown): string | undefined {
  return isApiError(error) ? error.requestId : undefined;
}
