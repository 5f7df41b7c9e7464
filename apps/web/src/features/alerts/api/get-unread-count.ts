import { alertRoutes } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { ALERT_POLL_MS } from './get-alerts';
import { alertKeys } from './query-keys';

/** `GET /alerts/unread-count`: the bell's number, polled. */
export function useUnreadAlertCount({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: alertKeys.unreadCount(),
    queryFn: ({ signal }) => api.call(alertRoutes.unreadCount, { signal }),
    enabled,
    refetchInterval: ALERT_POLL_MS,
  });
}
