import { useMemo } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useUrlAccountList, WINDOW_KEYS } from '@/features/accounts/use-account-list-state';
import { useCan } from '@/features/auth/use-permission';
import { useFolders } from '@/features/folders/api/get-folders';
import { folderLabel } from '@/features/folders/folder-tree';
import { useTarget } from '@/features/targets/api/get-target';
import { TargetsBrowser } from '@/features/targets/components/targets-browser';
import type { TargetsSearch } from '@/features/targets/targets-search';
import { t } from '@/i18n';
import { useUrlSearch } from '@/lib/url-state';
import { TargetAccountsWindow } from '../dialogs/target-accounts-window';
import { VaultTreeLayout } from '../vault-tree-layout';
import { Page } from './page';

/** A target's Accounts window, open while the address names it (`accountsOf`), its tab and list in the address too. */
function AccountsWindowFromAddress({ targetId }: { targetId: string }) {
  const [search, setSearch] = useUrlSearch<TargetsSearch>();
  const target = useTarget(targetId);
  const list = useUrlAccountList(WINDOW_KEYS);
  const close = () =>
    setSearch(
      { accountsOf: undefined, ttab: undefined, aq: undefined, astatus: undefined, asort: undefined, asize: undefined, apages: undefined },
      { pagesKey: null },
    );
  if (!target.data) {
    // A link to a target one may not see (or no longer exists) says so, as the API does.
    return (
      <Dialog
        title={target.isError ? t('targetAccounts.unavailable') : t('table.loading')}
        onClose={close}
        footer={
          <Button variant="primary" onClick={close}>
            {t('common.close')}
          </Button>
        }
      >
        {target.isError ? <ErrorState error={target.error} /> : <Spinner />}
      </Dialog>
    );
  }
  return (
    <TargetAccountsWindow
      target={target.data}
      list={list}
      tab={search.ttab ?? 'accounts'}
      onTabChange={(tab) => setSearch({ ttab: tab === 'accounts' ? undefined : tab }, { pagesKey: null })}
      onClose={close}
    />
  );
}

export function TargetsRoute() {
  const [search, setSearch] = useUrlSearch<TargetsSearch>();
  const folders = useFolders();
  const can = useCan();
  const items = folders.data?.items;
  const folderNames = useMemo(() => new Map((items ?? []).map((f) => [f.id, { name: f.name, path: folderLabel(f) }])), [items]);
  const canAdd = can('targets.manage') && (items?.some((f) => f.myRights.includes('manage')) ?? false);
  return (
    <Page heading={t('targets.heading')}>
      <VaultTreeLayout folderId={search.folder} onFolderChange={(folder) => setSearch({ folder })}>
        <TargetsBrowser folderNames={folderNames} canAdd={canAdd} />
      </VaultTreeLayout>
      {search.accountsOf && <AccountsWindowFromAddress key={search.accountsOf} targetId={search.accountsOf} />}
    </Page>
  );
}
