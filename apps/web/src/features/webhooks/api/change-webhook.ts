import { webhookRoutes, type CreateWebhookRequest, type UpdateWebhookRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhookKeys } from './query-keys';

function useInvalidating<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }) });
}

/** `POST /webhooks`: the answer holds the signing secret, shown this once. */
export const useCreateWebhook = () => useInvalidating((body: CreateWebhookRequest) => api.call(webhookRoutes.create, { body }));

/** `PATCH /webhooks/{id}`. */
export const useUpdateWebhook = () =>
  useInvalidating(({ id, ...body }: UpdateWebhookRequest & { id: string }) => api.call(webhookRoutes.update, { params: { id }, body }));

/** `DELETE /webhooks/{id}`. */
export const useDeleteWebhook = () => useInvalidating((id: string) => api.call(webhookRoutes.delete, { params: { id } }));

/** `POST /webhooks/{id}/test`: queues a signed test event. */
export const useTestWebhook = () => useInvalidating((id: string) => api.call(webhookRoutes.test, { params: { id } }));
