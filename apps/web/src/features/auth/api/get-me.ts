import { authRoutes } from '@passman/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, isApiError, setCsrfToken } from '@/lib/api-client';
import type { SessionResponse as AuthSession } from '@passman/contracts';
import { authKeys } from './query-keys';

/** `GET /auth/me`: the current session, or `null` when there is none (401). */
export async function getMe(signal?: AbortSignal): Promise<AuthSession | null> {
  try {
    const session = await api.call(authRoutes.me, { signal, handleUnauthorized: false });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function meQueryOptions() {
  return queryOptions({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => getMe(signal),
    staleTime: Infinity,
  });
}

export function useMe() {
  return useQuery(meQueryOptions());
}

/** The signed-in user. Only for components under the protected routes. */
export function useUser() {
  const { data } = useMe();
  if (!data) throw new Error('useUser() used outside a signed-in route');
  return data.user;
}
