import type { Account } from '@passman/contracts';
import { createContext, use } from 'react';

/** What can be done to one account from its Actions menu or its details window. */
export type AccountAction = 'details' | 'check' | 'checkout' | 'reset' | 'autoReset' | 'confirmOutcome' | 'history' | 'edit' | 'addCredential' | 'delete';
export type BulkAction = 'check' | 'reset';

export interface AccountActions {
  open: (action: AccountAction, account: Account) => void;
  openBulk: (action: BulkAction, accounts: readonly Account[], onDone?: () => void) => void;
}

/**
 * The accounts feature shows the menus; the app decides which dialog each entry opens (they
 * come from other features: jobs, credentials). See `app/account-actions-provider.tsx`.
 */
export const AccountActionsContext = createContext<AccountActions | null>(null);

export function useAccountActions(): AccountActions {
  const actions = use(AccountActionsContext);
  if (!actions) throw new Error('useAccountActions() outside AccountActionsProvider');
  return actions;
}
