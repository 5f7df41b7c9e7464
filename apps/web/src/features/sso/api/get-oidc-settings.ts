import { oidcRoutes, type OidcSettings } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { ssoKeys } from './query-keys';

/** `GET /settings/oidc` (administrators): the settings, without the client secret. */
export function getOidcSettings(signal?: AbortSignal): Promise<OidcSettings> {
  return api.call(oidcRoutes.getSettings, { signal });
}

export function useOidcSettings() {
  return useQuery({ queryKey: ssoKeys.settings(), queryFn: ({ signal }) => getOidcSettings(signal) });
}
