import { loginMfaRoutes, mfaRoutes, userMfaRoutes, type MfaPolicy, type SecondFactorProof, type SessionResponse } from '@passman/contracts';
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '@/lib/api-client';
import { authKeys } from '@/features/auth/api/query-keys';

export const mfaKeys = {
  status: () => ['mfa', 'status'] as const,
  policy: () => ['mfa', 'policy'] as const,
  user: (id: string) => ['mfa', 'user', id] as const,
  pendingLogin: () => ['mfa', 'pending-login'] as const,
};

/** `GET /auth/login/pending`: the second step a single sign-on login waits for (its challenge stays in an HttpOnly cookie). */
export function usePendingLogin() {
  return useQuery({
    queryKey: mfaKeys.pendingLogin(),
    queryFn: ({ signal }) => api.call(loginMfaRoutes.pending, { signal, handleUnauthorized: false }),
    retry: false,
    staleTime: Infinity,
  });
}

/** `GET /mfa`: my factors, recovery codes left, and whether the policy requires me to enrol. */
export function mfaStatusQuery() {
  return { queryKey: mfaKeys.status(), queryFn: ({ signal }: { signal: AbortSignal }) => api.call(mfaRoutes.status, { signal }) };
}

export function useMfaStatus() {
  return useQuery(mfaStatusQuery());
}

function useInvalidatingMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ['mfa'] }) });
}

export const useStartTotp = () => useMutation({ mutationFn: () => api.call(mfaRoutes.startTotp, { body: {} }) });
export const useConfirmTotp = () =>
  useInvalidatingMutation((input: { factorId: string; code: string }) =>
    api.call(mfaRoutes.confirmTotp, { params: { id: input.factorId }, body: { code: input.code } }),
  );
export const useRenameFactor = () =>
  useInvalidatingMutation((input: { id: string; name: string }) => api.call(mfaRoutes.renameFactor, { params: { id: input.id }, body: { name: input.name } }));
export const useRemoveFactor = () => useInvalidatingMutation((id: string) => api.call(mfaRoutes.removeFactor, { params: { id } }));
export const useRegenerateRecoveryCodes = () => useInvalidatingMutation(() => api.call(mfaRoutes.regenerateRecoveryCodes, {}));

/** Creates a passkey in the browser (navigator.credentials.create) and registers it. */
export const useRegisterPasskey = () =>
  useInvalidatingMutation(async (name: string) => {
    const options = await api.call(mfaRoutes.webauthnRegistrationOptions, {});
    const credential = await startRegistration({ optionsJSON: options as never });
    return api.call(mfaRoutes.registerWebauthn, { body: { name, credential: credential as never } });
  });

export function useMfaPolicy(enabled: boolean) {
  return useQuery({ queryKey: mfaKeys.policy(), queryFn: ({ signal }) => api.call(mfaRoutes.getPolicy, { signal }), enabled });
}
export const useSetMfaPolicy = () => useInvalidatingMutation((policy: MfaPolicy) => api.call(mfaRoutes.setPolicy, { body: policy }));

export function useUserMfa(userId: string) {
  return useQuery({ queryKey: mfaKeys.user(userId), queryFn: ({ signal }) => api.call(userMfaRoutes.get, { params: { id: userId }, signal }) });
}
export const useResetUserMfa = (userId: string) => useInvalidatingMutation(() => api.call(userMfaRoutes.reset, { params: { id: userId } }));

/** The second step of a login: a code, a recovery code or a passkey. No challenge: single sign-on's, sent as a cookie. */
export function useSecondFactorLogin(challenge: string | undefined, onSuccess: (session: SessionResponse) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (proof: SecondFactorProof | 'passkey') => {
      let body: SecondFactorProof = proof === 'passkey' ? {} : proof;
      if (proof === 'passkey') {
        const options = await api.call(loginMfaRoutes.webauthnOptions, { body: challenge ? { challenge } : {}, handleUnauthorized: false });
        body = { webauthn: (await startAuthentication({ optionsJSON: options as never })) as never };
      }
      return api.call(loginMfaRoutes.secondFactor, { body: challenge ? { challenge, ...body } : body, handleUnauthorized: false });
    },
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(authKeys.me(), session);
      onSuccess(session);
    },
  });
}
