import { authRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, type ApiError } from '@/lib/api-client';
import type { LoginResponse, SessionResponse as AuthSession } from '@passman/contracts';
import { authKeys } from './query-keys';

export interface LoginInput {
  username: string;
  password: string;
}

/** `POST /auth/login`: a session, or the challenge of the second step. A 401 here is a wrong password, not an expired session. */
export async function login(input: LoginInput): Promise<LoginResponse> {
  const result = await api.call(authRoutes.login, { body: input, handleUnauthorized: false });
  if ('csrfToken' in result) setCsrfToken(result.csrfToken);
  return result;
}

export function useLogin(options: { onSuccess?: (result: LoginResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation<LoginResponse, ApiError | Error, LoginInput>({
    mutationFn: login,
    onSuccess: (result) => {
      if ('user' in result) queryClient.setQueryData(authKeys.me(), result satisfies AuthSession);
      options.onSuccess?.(result);
    },
  });
}
