import type { Target } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { AccountsBrowser } from '@/features/accounts/components/accounts-browser';
import { useLocalAccountListState } from '@/features/accounts/use-account-list-state';
import { useCan } from '@/features/auth/use-permission';
import { useTargetActions } from '@/features/targets/target-actions';
import { t } from '@/i18n';

/** The Accounts pop-up of a target: its accounts, with the same Actions menu as the main tab. */
export function TargetAccountsWindow({ target, onClose }: { target: Target; onClose: () => void }) {
  const [state, setState] = useLocalAccountListState();
  const targetActions = useTargetActions();
  const can = useCan();
  return (
    <Dialog
      size="xl"
      title={t('targetAccounts.title', { name: target.name })}
      description={t('hostKey.description', { address: `${target.address}:${target.port}` })}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <AccountsBrowser
        state={state}
        onStateChange={setState}
        targetId={target.id}
        label={t('targetAccounts.tableLabel', { name: target.name })}
        toolbarEnd={
          can('accounts.manage') && (
            <Button onClick={() => targetActions.open('addAccount', target)}>{t('accounts.add')}</Button>
          )
        }
      />
    </Dialog>
  );
}
