import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { AccountsBrowser } from '@/features/accounts/components/accounts-browser';
import { useUrlAccountList, type AccountsSearch } from '@/features/accounts/use-account-list-state';
import { useCan } from '@/features/auth/use-permission';
import { useTargets } from '@/features/targets/api/get-targets';
import { t } from '@/i18n';
import { useUrlSearch } from '@/lib/url-state';
import { AccountDetailsById } from '../dialogs/account-details-window';
import { AddAccountDialog } from '../dialogs/edit-account-dialog';
import { VaultTreeLayout } from '../vault-tree-layout';
import { Page } from './page';

export function AccountsRoute() {
  const list = useUrlAccountList();
  const [search, setSearch] = useUrlSearch<AccountsSearch>();
  const folderId = list.state.folderId || undefined;
  // The Target filter offers the targets of the chosen folder.
  const targets = useTargets({ folderId, limit: 200, sort: 'name' });
  const can = useCan();
  const canAdd = can('accounts.manage') && (targets.data?.items.some((x) => x.myRights.includes('manage')) ?? false);
  const [adding, setAdding] = useState(false);
  return (
    <Page heading={t('accounts.heading')}>
      <VaultTreeLayout folderId={folderId} onFolderChange={(id) => list.setState({ folderId: id ?? '', targetId: '' })}>
        <AccountsBrowser
          list={list}
          targets={targets.data?.items}
          label={t('accounts.tableLabel')}
          toolbarEnd={
            canAdd && (
              <Button variant="primary" onClick={() => setAdding(true)}>
                {t('accounts.add')}
              </Button>
            )
          }
        />
      </VaultTreeLayout>
      {adding && <AddAccountDialog folderId={folderId} onClose={() => setAdding(false)} />}
      {search.account && (
        <AccountDetailsById key={search.account} accountId={search.account} onClose={() => setSearch({ account: undefined }, { pagesKey: null })} />
      )}
    </Page>
  );
}
