import type { Account } from '@passman/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useRouter } from '@tanstack/react-router';
import { useMemo, type ReactNode } from 'react';
import { paths } from '@/config/paths';
import { accountKeys } from '@/features/accounts/api/query-keys';
import { AccountActionsContext, type AccountAction, type AccountActions } from '@/features/accounts/account-actions';
import { DeleteAccountDialog } from '@/features/accounts/components/delete-account-dialog';
import { AddCredentialDialog } from '@/features/credentials/components/add-credential-dialog';
import { AutoResetDialog } from '@/features/jobs/components/auto-reset-dialog';
import { BulkJobDialog } from '@/features/jobs/components/bulk-job-dialog';
import { CheckDialog } from '@/features/jobs/components/check-dialog';
import { CheckoutDialog } from '@/features/jobs/components/checkout-dialog';
import { ConfirmOutcomeDialog } from '@/features/jobs/components/confirm-outcome-dialog';
import { ResetCredentialsDialog } from '@/features/jobs/components/reset-credentials-dialog';
import { useDialogStack } from '@/lib/use-dialog-stack';
import { AccountDetailsWindow } from './dialogs/account-details-window';
import { AccountHistoryWindow } from './dialogs/account-history-window';
import { EditAccountDialog } from './dialogs/edit-account-dialog';

/** Opens the window behind each account action, from any table, pop-up or details window. */
export function AccountActionsProvider({ children }: { children: ReactNode }) {
  const { push, node } = useDialogStack();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const router = useRouter();
  const actions = useMemo<AccountActions>(() => {
    const open = (action: AccountAction, account: Account): void => {
      // On the Accounts tab the details window lives in the address, so a link to it opens it;
      // the row it was opened from is its first content while it loads.
      if (action === 'details' && router.state.location.pathname === paths.accounts) {
        queryClient.setQueryData(accountKeys.detail(account.id), account);
        void navigate({ from: paths.accounts, to: paths.accounts, search: (previous) => ({ ...previous, account: account.id }) });
        return;
      }
      push((close) => {
        switch (action) {
          case 'details':
            return <AccountDetailsWindow account={account} onClose={close} />;
          case 'check':
            return <CheckDialog account={account} onClose={close} />;
          case 'checkout':
            return <CheckoutDialog account={account} onClose={close} />;
          case 'reset':
            return (
              <ResetCredentialsDialog
                account={account}
                onClose={close}
                onAddCredential={() => {
                  close();
                  open('addCredential', account);
                }}
              />
            );
          case 'autoReset':
            return (
              <AutoResetDialog
                account={account}
                onClose={close}
                onOpenReset={() => {
                  close();
                  open('reset', account);
                }}
              />
            );
          case 'confirmOutcome':
            return <ConfirmOutcomeDialog account={account} onClose={close} />;
          case 'history':
            return <AccountHistoryWindow account={account} onClose={close} />;
          case 'edit':
            return <EditAccountDialog account={account} onClose={close} />;
          case 'addCredential':
            return <AddCredentialDialog account={account} onClose={close} />;
          case 'delete':
            return <DeleteAccountDialog account={account} onClose={close} />;
        }
      });
    };
    return {
      open,
      openBulk: (kind, accounts, onDone) => push((close) => <BulkJobDialog kind={kind} accounts={accounts} onClose={close} onStarted={onDone} />),
    };
  }, [push, queryClient, navigate, router]);
  return (
    <AccountActionsContext value={actions}>
      {children}
      {node}
    </AccountActionsContext>
  );
}
