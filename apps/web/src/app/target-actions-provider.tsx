import type { Target } from '@passman/contracts';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, type ReactNode } from 'react';
import { paths } from '@/config/paths';
import { DeleteTargetDialog } from '@/features/targets/components/delete-target-dialog';
import { HostKeyDialog } from '@/features/targets/components/host-key-dialog';
import { TargetFormDialog } from '@/features/targets/components/target-form-dialog';
import { TargetActionsContext, type TargetAction, type TargetActions } from '@/features/targets/target-actions';
import { useDialogStack } from '@/lib/use-dialog-stack';
import { AddTargetDialog } from './dialogs/add-target-dialog';
import { AddAccountDialog } from './dialogs/edit-account-dialog';
import { MoveTargetDialog } from './dialogs/move-target-dialog';

/** Opens the windows of the Targets tab: Accounts pop-up and permissions, add/edit, move, host key, delete. */
export function TargetActionsProvider({ children }: { children: ReactNode }) {
  const { push, node } = useDialogStack();
  const navigate = useNavigate();
  const actions = useMemo<TargetActions>(() => {
    const open = (action: TargetAction, target: Target): void => {
      // The Accounts window lives in the address (reload and Back keep it, its tab and its page).
      if (action === 'accounts' || action === 'permissions') {
        const ttab = action === 'permissions' ? ('permissions' as const) : undefined;
        void navigate({ from: paths.targets, to: paths.targets, search: (previous) => ({ ...previous, accountsOf: target.id, ttab }) });
        return;
      }
      push((close) => {
        switch (action) {
          case 'addAccount':
            return <AddAccountDialog target={target} onClose={close} />;
          case 'edit':
            return <TargetFormDialog target={target} onClose={close} />;
          case 'move':
            return <MoveTargetDialog target={target} onClose={close} />;
          case 'hostKey':
            return <HostKeyDialog target={target} onClose={close} />;
          case 'delete':
            return <DeleteTargetDialog target={target} onClose={close} />;
        }
      });
    };
    // A new target's next step is its host key: the window for it opens right after saving.
    const add = (folderId?: string): void =>
      push((close) => (
        <AddTargetDialog
          folderId={folderId}
          onClose={close}
          onSaved={(target) => {
            close();
            open('hostKey', target);
          }}
        />
      ));
    return { open, add };
  }, [push, navigate]);
  return (
    <TargetActionsContext value={actions}>
      {children}
      {node}
    </TargetActionsContext>
  );
}
