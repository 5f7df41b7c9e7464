import { jobRoutes } from '@passman/contracts';
import type { CheckoutRequest, CheckoutResponse } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from '@/features/accounts/api/query-keys';

/** `POST /accounts/{id}/checkout`: reveals the current secret (audited before it is sent). */
export function checkoutCredential({ accountId, ...body }: CheckoutRequest & { accountId: string }): Promise<CheckoutResponse> {
  return api.call(jobRoutes.checkout, { params: { id: accountId }, body });
}

/** The secret lives only in this mutation's state and the dialog showing it: never in the query cache. */
export function useCheckoutCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: checkoutCredential,
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
}
