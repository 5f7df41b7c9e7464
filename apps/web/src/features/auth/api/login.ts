import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken, type ApiError } from '@/lib/api-client';
import type { SessionResponse as AuthSession } from '@passman/contracts';
import { meQueryKey } from './get-me';

export interface LoginInput {
  username: string;
  password: string;
}

/** `POST /auth/login`. A 401 here is a wrong password, not an expired session. */
export async function login(input: LoginInput): Promise<AuthSession> {
  const session = await api.post<AuthSession>('/auth/login', input, { handleUnauthorized: false });
  setCsrfToken(session.csrfToken);
  return session;
}

export function useLogin(options: { onSuccess?: (session: AuthSession) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation<AuthSession, ApiError | Error, LoginInput>({
    mutationFn: login,
    onSuccess: (session) => {
      queryClient.setQueryData(meQueryKey, session);
      options.onSuccess?.(session);
    },
  });
}
