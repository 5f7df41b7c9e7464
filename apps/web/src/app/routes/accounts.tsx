import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { AccountsBrowser } from '@/features/accounts/components/accounts-browser';
import { useUrlAccountList } from '@/features/accounts/use-account-list-state';
import { useCan } from '@/features/auth/use-permission';
import { useTargets } from '@/features/targets/api/get-targets';
import { t } from '@/i18n';
import { AddAccountDialog } from '../dialogs/edit-account-dialog';
import { Page } from './page';

export function AccountsRoute() {
  const list = useUrlAccountList();
  const targets = useTargets({ limit: 200, sort: 'name' });
  const can = useCan();
  const [adding, setAdding] = useState(false);
  return (
    <Page heading={t('accounts.heading')}>
      <AccountsBrowser
        list={list}
        targets={targets.data?.items}
        label={t('accounts.tableLabel')}
        toolbarEnd={
          can('accounts.manage') && (
            <Button variant="primary" onClick={() => setAdding(true)}>
              {t('accounts.add')}
            </Button>
          )
        }
      />
      {adding && <AddAccountDialog onClose={() => setAdding(false)} />}
    </Page>
  );
}
