import { securitySettingsRoutes, type UpdateSecuritySettingsRequest } from '@passman/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export const securitySettingsKeys = { all: ['settings', 'security'] as const };

/** `GET /settings/security` (administrators). */
export function useSecuritySettings() {
  return useQuery({ queryKey: securitySettingsKeys.all, queryFn: ({ signal }) => api.call(securitySettingsRoutes.get, { signal }) });
}

/** `PATCH /settings/security`: only the fields that changed. */
export function useUpdateSecuritySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateSecuritySettingsRequest) => api.call(securitySettingsRoutes.update, { body }),
    onSuccess: (settings) => queryClient.setQueryData(securitySettingsKeys.all, settings),
  });
}
