import { webhookRoutes } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhookKeys } from './query-keys';

/** `GET /webhooks`: every webhook (never a secret). */
export function useWebhooks() {
  return useQuery({ queryKey: webhookKeys.list(), queryFn: ({ signal }) => api.call(webhookRoutes.list, { signal }) });
}
