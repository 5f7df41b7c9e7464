import { useMemo } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useAccounts } from '../api/get-accounts';
import type { AccountListItem, AccountStatus, PolicyCompliance } from '../types';

const statusTone: Record<AccountStatus, BadgeTone> = {
  InSync: 'success',
  NotInSync: 'danger',
  Unknown: 'neutral',
};

const complianceTone: Record<PolicyCompliance, BadgeTone> = {
  Compliant: 'success',
  Noncompliant: 'warning',
};

const dash = () => t('table.empty.dash');

// Built on render, not at import, so headers follow the active locale.
function accountColumns(): readonly Column<AccountListItem>[] {
  return [
    { id: 'account', header: t('accounts.col.account'), cell: (a) => a.username, width: '15%' },
    { id: 'target', header: t('accounts.col.target'), cell: (a) => a.target?.name ?? dash(), width: '15%' },
    {
      id: 'status',
      header: t('accounts.col.status'),
      width: '12%',
      cell: (a) =>
        a.status in statusTone ? (
          <Badge tone={statusTone[a.status]}>{t(`accounts.status.${a.status}`)}</Badge>
        ) : (
          dash()
        ),
    },
    {
      id: 'lastChecked',
      header: t('accounts.col.lastChecked'),
      width: '17%',
      cell: (a) => formatDateTime(a.lastCheckedAt, t('accounts.never')),
    },
    {
      id: 'lastChanged',
      header: t('accounts.col.lastChanged'),
      width: '17%',
      cell: (a) => formatDateTime(a.lastChangedAt, t('accounts.never')),
    },
    {
      id: 'compliance',
      header: t('accounts.col.compliance'),
      width: '14%',
      cell: (a) =>
        a.compliance && a.compliance in complianceTone ? (
          <Badge tone={complianceTone[a.compliance]}>{t(`accounts.compliance.${a.compliance}`)}</Badge>
        ) : (
          dash()
        ),
    },
    // The Check / CheckOut / Reset Credentials menu arrives with the console issue.
    { id: 'actions', header: t('accounts.col.actions'), cell: () => null, width: '10%', align: 'end' },
  ];
}

export function AccountsTable() {
  const query = useAccounts();
  const columns = useMemo(() => accountColumns(), []);
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items), [query.data]);
  return (
    <>
      <DataTable
        label={t('accounts.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(a) => a.id}
        status={query.status}
        empty={<EmptyState heading={t('accounts.empty.heading')}>{t('accounts.empty.body')}</EmptyState>}
        error={
          <ErrorState
            error={query.error}
            heading={t('table.loadFailed')}
            onRetry={() => void query.refetch()}
            retrying={query.isRefetching}
          />
        }
      />
      <LoadMore
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onLoadMore={() => void query.fetchNextPage()}
      />
    </>
  );
}
