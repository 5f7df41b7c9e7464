import { accountRoutes } from '@passman/contracts';
import type { Account, CreateAccountRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { accountKeys } from './query-keys';
import { folderKeys } from '@/features/folders/api/query-keys';
import { targetKeys } from '@/features/targets/api/query-keys';

export type CreateAccountInput = Pick<CreateAccountRequest, 'targetId' | 'username'> & Partial<CreateAccountRequest>;

/** `POST /accounts`. */
export function createAccount(input: CreateAccountInput): Promise<Account> {
  return api.call(accountRoutes.create, { body: input });
}

export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAccount,
    // The target's and the folders' counts change too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: accountKeys.all }),
        queryClient.invalidateQueries({ queryKey: targetKeys.all }),
        queryClient.invalidateQueries({ queryKey: folderKeys.all }),
      ]),
  });
}
