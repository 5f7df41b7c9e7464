import { authRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { paths } from '@/config/paths';
import { api, isApiError, setCsrfToken } from '@/lib/api-client';
import { authKeys } from './query-keys';

/** `POST /auth/logout` (CSRF header added by the api client). An ended session counts as done. */
export async function logout(): Promise<void> {
  try {
    await api.call(authRoutes.logout, { handleUnauthorized: false });
  } catch (error) {
    if (!(isApiError(error) && error.status === 401)) throw error;
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: logout,
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
      queryClient.setQueryData(authKeys.me(), null);
      void navigate({ to: paths.login, replace: true });
    },
  });
}
