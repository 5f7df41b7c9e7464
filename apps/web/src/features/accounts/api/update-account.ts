import { accountRoutes } from '@passman/contracts';
import type { Account, UpdateAccountRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from './query-keys';

/** `PATCH /accounts/{id}`. */
export function updateAccount({ id, ...changes }: UpdateAccountRequest & { id: string }): Promise<Account> {
  return api.call(accountRoutes.update, { params: { id }, body: changes });
}

export function useUpdateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateAccount,
    onSuccess: (account) => {
      queryClient.setQueryData(accountKeys.detail(account.id), account);
      return queryClient.invalidateQueries({ queryKey: accountKeys.lists() });
    },
  });
}
