import { ldapRoutes } from '@passman/contracts';
import type { LdapSettings, LdapSyncSummary, LdapTestResult, UpdateLdapSettingsRequest } from '@passman/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export const ldapKeys = { settings: ['ldap', 'settings'] as const };

/** `GET /ldap/settings`: the directory settings (the bind password is never sent back, only whether one is stored). */
export function useLdapSettings() {
  return useQuery({ queryKey: ldapKeys.settings, queryFn: ({ signal }) => api.call(ldapRoutes.getSettings, { signal }) });
}

/** `PUT /ldap/settings`. */
export function useUpdateLdapSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateLdapSettingsRequest): Promise<LdapSettings> => api.call(ldapRoutes.updateSettings, { body }),
    onSuccess: (saved) => queryClient.setQueryData(ldapKeys.settings, saved),
  });
}

/** `POST /ldap/test`: connects with the saved settings and reports what it found. */
export function useTestLdap() {
  return useMutation({ mutationFn: (username: string): Promise<LdapTestResult> => api.call(ldapRoutes.test, { body: username ? { username } : {} }) });
}

/** `POST /ldap/sync`: the directory sync, now. */
export function useSyncLdap() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<LdapSyncSummary> => api.call(ldapRoutes.sync, {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ldapKeys.settings }),
  });
}
