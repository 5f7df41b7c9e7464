import { TargetsBrowser } from '@/features/targets/components/targets-browser';
import { useTarget } from '@/features/targets/api/get-target';
import type { TargetsSearch } from '@/features/targets/targets-search';
import { useUrlAccountList, WINDOW_KEYS } from '@/features/accounts/use-account-list-state';
import { t } from '@/i18n';
import { useUrlSearch } from '@/lib/url-state';
import { TargetAccountsWindow } from '../dialogs/target-accounts-window';
import { Page } from './page';

/** A target's Accounts window, open while the address names it (`accountsOf`), its list in the address too. */
function AccountsWindowFromAddress({ targetId }: { targetId: string }) {
  const [, setSearch] = useUrlSearch<TargetsSearch>();
  const target = useTarget(targetId);
  const list = useUrlAccountList(WINDOW_KEYS);
  if (!target.data) return null;
  const close = () =>
    setSearch({ accountsOf: undefined, aq: undefined, astatus: undefined, asort: undefined, asize: undefined, apages: undefined }, { pagesKey: null });
  return <TargetAccountsWindow target={target.data} list={list} onClose={close} />;
}

export function TargetsRoute() {
  const [search] = useUrlSearch<TargetsSearch>();
  return (
    <Page heading={t('targets.heading')}>
      <TargetsBrowser />
      {search.accountsOf && <AccountsWindowFromAddress key={search.accountsOf} targetId={search.accountsOf} />}
    </Page>
  );
}
