import { alertRoutes } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { alertKeys } from './query-keys';

/** `POST /alerts/{id}/acknowledge`: marks one alert read, for this user only. */
export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(alertRoutes.acknowledge, { params: { id } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertKeys.all }),
  });
}

/** `POST /alerts/read`: marks every alert the user sees as read. */
export function useMarkAllAlertsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(alertRoutes.readAll, { body: { all: true } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertKeys.all }),
  });
}
