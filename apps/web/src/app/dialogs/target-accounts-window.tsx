import type { Target } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/description-list';
import { TabbedWindow } from '@/components/ui/tabbed-window';
import { AccountsBrowser } from '@/features/accounts/components/accounts-browser';
import { useLocalAccountList, type AccountListControl } from '@/features/accounts/use-account-list-state';
import { useCan } from '@/features/auth/use-permission';
import { useTarget } from '@/features/targets/api/get-target';
import { useTargetActions } from '@/features/targets/target-actions';
import type { TARGET_WINDOW_TABS } from '@/features/targets/targets-search';
import { t } from '@/i18n';
import { LazyPermissionsTab } from './lazy-permissions-tab';

export type TargetWindowTab = (typeof TARGET_WINDOW_TABS)[number];

/**
 * The Accounts pop-up of a target: its managing account, its accounts with the same Actions menu
 * as the main tab, and its permissions. Buttons show where the target's rights allow them.
 */
export function TargetAccountsWindow({
  target: initial,
  list: given,
  tab: givenTab,
  onTabChange,
  onClose,
}: {
  target: Target;
  list?: AccountListControl | undefined;
  /** The tab shown, when the address keeps it (the Targets tab); else the window keeps its own. */
  tab?: TargetWindowTab | undefined;
  onTabChange?: ((tab: TargetWindowTab) => void) | undefined;
  onClose: () => void;
}) {
  // Fresh, so a managing account changed from here (Edit target) shows at once.
  const { data: target = initial } = useTarget(initial.id, initial);
  // From the Targets tab the list lives in the address; elsewhere in the window.
  const local = useLocalAccountList(target.id);
  const list = given ?? local;
  const [localTab, setLocalTab] = useState<TargetWindowTab>('accounts');
  const tab = givenTab ?? localTab;
  const targetActions = useTargetActions();
  const can = useCan();
  const manage = target.myRights.includes('manage');
  return (
    <TabbedWindow
      size="xl"
      title={t('targetAccounts.title', { name: target.name })}
      description={t('hostKey.description', { address: `${target.address}:${target.port}` })}
      onClose={onClose}
      tabsLabel={t('targetAccounts.tabs', { name: target.name })}
      tabs={[
        { id: 'accounts', label: t('targetAccounts.tab.accounts') },
        { id: 'permissions', label: t('details.tab.permissions') },
      ]}
      selectedId={tab}
      onSelect={(id) => (onTabChange ?? setLocalTab)(id as TargetWindowTab)}
    >
      {tab === 'accounts' ? (
        <>
          <DescriptionList
            items={[
              {
                label: t('targetAccounts.managing'),
                value: (
                  <span className="dl__value-with-action">
                    <span>{target.managingAccount?.username ?? t('targetAccounts.noManaging')}</span>
                    {manage && (
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
            toolbarEnd={manage && can('accounts.manage') && <Button onClick={() => targetActions.open('addAccount', target)}>{t('accounts.add')}</Button>}
          />
        </>
      ) : (
        <LazyPermissionsTab object={{ type: 'target', id: target.id, name: target.name }} myRights={target.myRights} />
      )}
    </TabbedWindow>
  );
}
