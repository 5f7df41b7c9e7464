import { oidcRoutes, type LoginOptions } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { ssoKeys } from './query-keys';

/** `GET /auth/login-options`: whether to offer single sign-on, and whether passwords are accepted. */
export function getLoginOptions(signal?: AbortSignal): Promise<LoginOptions> {
  return api.call(oidcRoutes.loginOptions, { signal, handleUnauthorized: false });
}

export function useLoginOptions() {
  return useQuery({ queryKey: ssoKeys.loginOptions(), queryFn: ({ signal }) => getLoginOptions(signal), staleTime: 60_000 });
}
