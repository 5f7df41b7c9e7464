import { alertRoutes } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { alertKeys, type AlertListParams } from './query-keys';

/** How often open alerts and the bell's count are asked for again: alerts come from the worker, not from the user. */
export const ALERT_POLL_MS = 30_000;

/** `GET /alerts`: one page of the alerts the user may see, newest first. */
export function useAlerts(params: AlertListParams, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: alertKeys.list(params),
    queryFn: ({ signal }) => api.call(alertRoutes.list, { query: params, signal }),
    enabled,
    refetchInterval: ALERT_POLL_MS,
  });
}

/** The open alerts, newest first: what the bell lists and what a dashboard shows. */
export function useOpenAlerts({ limit = 20, enabled = true }: { limit?: number; enabled?: boolean } = {}) {
  return useAlerts({ state: 'open', limit }, { enabled });
}
