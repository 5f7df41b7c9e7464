import { useMemo } from 'react';
import { Badge } from '@/components/ui/badge';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { LoadMore } from '@/components/ui/load-more';
import { t } from '@/i18n';
import { useTargets } from '../api/get-targets';
import type { TargetListItem } from '../types';

function HostKey({ target }: { target: TargetListItem }) {
  switch (target.hostKeyStatus) {
    case 'APPROVED':
      return (
        <span className="host-key" title={target.hostKeyFingerprint ?? undefined}>
          <Badge tone="success">{t('targets.hostKey.approved')}</Badge>
        </span>
      );
    case 'PENDING':
      return <Badge tone="warning">{t('targets.hostKey.pending')}</Badge>;
    default:
      return <Badge>{t('targets.hostKey.none')}</Badge>;
  }
}

// Built on render, not at import, so headers follow the active locale.
function targetColumns(): readonly Column<TargetListItem>[] {
  return [
    { id: 'name', header: t('targets.col.name'), cell: (x) => x.name, width: '24%' },
    { id: 'address', header: t('targets.col.address'), cell: (x) => x.address, width: '24%' },
    { id: 'port', header: t('targets.col.port'), cell: (x) => x.port, width: '8%', align: 'end' },
    { id: 'hostKey', header: t('targets.col.hostKey'), cell: (x) => <HostKey target={x} />, width: '18%' },
    {
      id: 'accounts',
      header: t('targets.col.accounts'),
      cell: (x) => x.accountCount ?? t('table.empty.dash'),
      width: '12%',
      align: 'end',
    },
    // The Accounts pop-up, edit and host-key approval arrive with the console issue.
    { id: 'actions', header: t('targets.col.actions'), cell: () => null, width: '14%', align: 'end' },
  ];
}

export function TargetsTable() {
  const query = useTargets();
  const columns = useMemo(() => targetColumns(), []);
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items), [query.data]);
  return (
    <>
      <DataTable
        label={t('targets.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(x) => x.id}
        status={query.status}
        empty={<EmptyState heading={t('targets.empty.heading')}>{t('targets.empty.body')}</EmptyState>}
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
