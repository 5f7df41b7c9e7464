import type { Account, UpdateAccountRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountQueryKey } from './get-account';

/** `PATCH /accounts/{id}`. */
export function updateAccount({ id, ...changes }: UpdateAccountRequest & { id: string }): Promise<Account> {
  return api.patch<Account>(`/accounts/${encodeURIComponent(id)}`, changes);
}

export function useUpdateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateAccount,
    onSuccess: (account) => {
      queryClient.setQueryData(accountQueryKey(account.id), account);
      return queryClient.invalidateQueries({ queryKey: ['accounts', 'list'] });
    },
  });
}
