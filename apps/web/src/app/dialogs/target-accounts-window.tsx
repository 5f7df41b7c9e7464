import type { Target } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/description-list';
import { Dialog } from '@/components/ui/dialog';
import { AccountsBrowser } from '@/features/accounts/components/accounts-browser';
import { useLocalAccountList, type AccountListControl } from '@/features/accounts/use-account-list-state';
import { useCan } from '@/features/auth/use-permission';
import { useTarget } from '@/features/targets/api/get-target';
import { useTargetActions } from '@/features/targets/target-actions';
import { t } from '@/i18n';

/** The Accounts pop-up of a target: its managing account, and its accounts with the same Actions menu as the main tab. */
export function TargetAccountsWindow({
  target: initial,
  list: given,
  onClose,
}: {
  target: Target;
  list?: AccountListControl | undefined;
  onClose: () => void;
}) {
  // Fresh, so a managing account changed from here (Edit target) shows at once.
  const { data: target = initial } = useTarget(initial.id, initial);
  // From the Targets tab the list lives in the address; elsewhere in the window.
  const local = useLocalAccountList(target.id);
  const list = given ?? local;
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
      <DescriptionList
        items={[
          {
            label: t('targetAccounts.managing'),
            value: (
              <span className="dl__value-with-action">
                <span>{target.managingAccount?.username ?? t('targetAccounts.noManaging')}</span>
                {can('targets.manage') && (
                  <Button size="sm" variant="ghost" onClick={() => targetActions.open('edit', target)}>
                    {t('targetAccounts.changeManaging')}
                  </Button>
                )}
              </span>
            ),
          },
        ]}
      />
      <AccountsBrowser
        list={list}
        targetId={target.id}
        label={t('targetAccounts.tableLabel', { name: target.name })}
        toolbarEnd={can('accounts.manage') && <Button onClick={() => targetActions.open('addAccount', target)}>{t('accounts.add')}</Button>}
      />
    </Dialog>
  );
}
