import { oidcRoutes, type OidcSettings, type UpdateOidcSettings } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { ssoKeys } from './query-keys';

/** `PUT /settings/oidc`: replaces the settings; a client secret left out keeps the stored one. */
export function putOidcSettings(body: UpdateOidcSettings): Promise<OidcSettings> {
  return api.call(oidcRoutes.putSettings, { body });
}

export function usePutOidcSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: putOidcSettings,
    onSuccess: (settings) => {
      queryClient.setQueryData(ssoKeys.settings(), settings);
      return queryClient.invalidateQueries({ queryKey: ssoKeys.loginOptions() });
    },
  });
}
