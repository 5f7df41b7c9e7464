import type { Target } from '@passman/contracts';
import { useMemo, type ReactNode } from 'react';
import { DeleteTargetDialog } from '@/features/targets/components/delete-target-dialog';
import { HostKeyDialog } from '@/features/targets/components/host-key-dialog';
import { TargetFormDialog } from '@/features/targets/components/target-form-dialog';
import { TargetActionsContext, type TargetAction, type TargetActions } from '@/features/targets/target-actions';
import { useDialogStack } from '@/lib/use-dialog-stack';
import { AddAccountDialog } from './dialogs/edit-account-dialog';
import { TargetAccountsWindow } from './dialogs/target-accounts-window';

/** Opens the windows of the Targets tab: Accounts pop-up, add/edit, host key, delete. */
export function TargetActionsProvider({ children }: { children: ReactNode }) {
  const { push, node } = useDialogStack();
  const actions = useMemo<TargetActions>(() => {
    const open = (action: TargetAction, target: Target): void =>
      push((close) => {
        switch (action) {
          case 'accounts':
            return <TargetAccountsWindow target={target} onClose={close} />;
          case 'addAccount':
            return <AddAccountDialog target={target} onClose={close} />;
          case 'edit':
            return <TargetFormDialog target={target} onClose={close} />;
          case 'hostKey':
            return <HostKeyDialog target={target} onClose={close} />;
          case 'delete':
            return <DeleteTargetDialog target={target} onClose={close} />;
        }
      });
    // A new target's next step is its host key: the window for it opens right after saving.
    const add = (): void =>
      push((close) => (
        <TargetFormDialog
          onClose={close}
          onSaved={(target) => {
            close();
            open('hostKey', target);
          }}
        />
      ));
    return { open, add };
  }, [push]);
  return (
    <TargetActionsContext value={actions}>
      {children}
      {node}
    </TargetActionsContext>
  );
}
