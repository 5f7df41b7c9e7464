import { authRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, type ApiError } from '@/lib/api-client';
import type { SessionResponse as AuthSession } from '@passman/contracts';
import { authKeys } from './query-keys';

export interface LoginInput {
  username: string;
  password: string;
}

/** `POST /auth/login`. A 401 here is a wrong password, not an expired session. */
export async function login(input: LoginInput): Promise<AuthSession> {
  const session = await api.call(authRoutes.login, { body: input, handleUnauthorized: false });
  setCsrfToken(session.csrfToken);
  return session;
}

export function useLogin(options: { onSuccess?: (session: AuthSession) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation<AuthSession, ApiError | Error, LoginInput>({
    mutationFn: login,
    onSuccess: (session) => {
      queryClient.setQueryData(authKeys.me(), session);
      options.onSuccess?.(session);
    },
  });
}
