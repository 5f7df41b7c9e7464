import { webhookRoutes } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhookKeys } from './query-keys';

/** `GET /webhooks/{id}/deliveries`: the newest attempts of the webhook's delivery log, refreshed while shown. */
export function useWebhookDeliveries(id: string) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id),
    queryFn: ({ signal }) => api.call(webhookRoutes.deliveries, { params: { id }, query: { limit: 50 }, signal }),
    refetchInterval: 5_000,
  });
}
