import type { Account } from '@passman/contracts';
import { useMemo, useState, type ReactNode } from 'react';
import { DataTable, EmptyState } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { Pager } from '@/components/ui/pager';
import { Toolbar } from '@/components/ui/toolbar';
import { t } from '@/i18n';
import { useAccounts } from '../api/get-accounts';
import type { AccountListControl, AccountListState } from '../use-account-list-state';
import { accountColumns } from './account-columns';
import { AccountsFilters, type TargetChoice } from './accounts-filters';
import { BulkActionsBar } from './bulk-actions-bar';

export interface AccountsBrowserProps {
  /** Filters, sort and page: in the address on the Accounts tab, local in a pop-up. */
  list: AccountListControl;
  /** The Accounts pop-up of one target (its own endpoint, no Target column or filter). */
  targetId?: string | undefined;
  /** Choices of the Target filter on the main tab. */
  targets?: readonly TargetChoice[] | undefined;
  label: string;
  /** Buttons on the right of the toolbar (e.g. Add account). */
  toolbarEnd?: ReactNode;
}

/** Search, filters, sortable table with selection and bulk actions, and keyset paging. */
export function AccountsBrowser({ list, targetId, targets, label, toolbarEnd }: AccountsBrowserProps) {
  const { state, setState: onStateChange, pages } = list;
  const query = useAccounts(
    {
      targetId,
      filterTargetId: state.targetId || undefined,
      folderId: targetId ? undefined : state.folderId || undefined,
      q: state.q || undefined,
      status: state.status || undefined,
      compliance: state.compliance || undefined,
      checkedOut: state.only === 'checkedOut' ? 'true' : undefined,
      rotationOverdue: state.only === 'rotationOverdue' ? 'true' : undefined,
      sort: state.sort,
      limit: state.pageSize,
      cursor: pages.cursor,
    },
    { live: true },
  );
  const [selected, setSelected] = useState<ReadonlyMap<string, Account>>(new Map());
  const rows = query.data?.items;
  const columns = useMemo(() => accountColumns({ withTarget: !targetId }), [targetId]);
  const filtered = Boolean(state.q || state.status || state.compliance || state.only || state.targetId);

  function select(ids: string[], on: boolean): void {
    setSelected((current) => {
      const next = new Map(current);
      for (const id of ids) {
        const row = rows?.find((r) => r.id === id);
        if (on && row) next.set(id, row);
        else next.delete(id);
      }
      return next;
    });
  }

  return (
    <div className="browser">
      <Toolbar label={t('accounts.filter.label')} end={toolbarEnd}>
        <AccountsFilters state={state} onChange={onStateChange} targets={targetId ? undefined : targets} narrower={!targetId} />
      </Toolbar>
      <BulkActionsBar selected={[...selected.values()]} onClear={() => setSelected(new Map())} />
      <DataTable
        label={label}
        columns={columns}
        rows={rows}
        getRowId={(a) => a.id}
        status={query.status}
        refreshing={query.isPlaceholderData}
        skeletonRows={8}
        sorting={{ sort: state.sort, onSortChange: (sort) => onStateChange({ sort: sort as AccountListState['sort'] }) }}
        selection={{
          selected: new Set(selected.keys()),
          onChange: select,
          rowLabel: (a) => t('accounts.select', { name: t('accounts.accountOnTarget', { account: a.username, target: a.target.name }) }),
        }}
        empty={
          filtered ? (
            <EmptyState heading={t('accounts.empty.filteredHeading')}>{t('accounts.empty.filteredBody')}</EmptyState>
          ) : state.folderId && !targetId ? (
            <EmptyState heading={t('accounts.empty.folderHeading')}>{t('accounts.empty.folderBody')}</EmptyState>
          ) : (
            <EmptyState heading={t('accounts.empty.heading')}>{t('accounts.empty.body')}</EmptyState>
          )
        }
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      <Pager
        pages={pages}
        nextCursor={query.data?.nextCursor}
        rowsOnPage={rows?.length ?? 0}
        pageSize={state.pageSize}
        // Only a page change waits for its cursor; a background refresh keeps the current one valid.
        loading={query.isPlaceholderData}
        onPageSizeChange={(pageSize) => onStateChange({ pageSize })}
      />
    </div>
  );
}
