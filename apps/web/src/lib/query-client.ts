import { QueryClient, type InvalidateOptions, type InvalidateQueryFilters } from '@tanstack/react-query';
import { isApiError } from './api-client';

/** Client errors (4xx) will not get better by retrying; network and 5xx errors might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * A QueryClient whose invalidation always ends in data fetched after it. TanStack Query's own
 * refetch reuses a fetch already in flight when its query has no data yet (a list just opened
 * with a new filter while a change was being saved): that fetch may have been answered before the
 * change committed, and its stale answer would then stay. In-flight fetches of the invalidated
 * queries are cancelled first, so the refetch starts anew.
 */
export class FreshQueryClient extends QueryClient {
  override async invalidateQueries(filters?: InvalidateQueryFilters, options?: InvalidateOptions): Promise<void> {
    await this.cancelQueries(filters);
    return super.invalidateQueries(filters, options);
  }
}

export function createQueryClient(): QueryClient {
  return new FreshQueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: shouldRetry,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
