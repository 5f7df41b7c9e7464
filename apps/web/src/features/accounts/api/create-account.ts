import type { Account, CreateAccountRequest } from '@passman/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type CreateAccountInput = Pick<CreateAccountRequest, 'targetId' | 'username'> & Partial<CreateAccountRequest>;

/** `POST /accounts`. */
export function createAccount(input: CreateAccountInput): Promise<Account> {
  return api.post<Account>('/accounts', input);
}

export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createAccount,
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['accounts'] }), queryClient.invalidateQueries({ queryKey: ['targets'] })]),
  });
}
