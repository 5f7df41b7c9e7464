import type { Target, TargetSort } from '@passman/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { Pager } from '@/components/ui/pager';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { Toolbar } from '@/components/ui/toolbar';
import { t } from '@/i18n';
import { useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useTargets } from '../api/get-targets';
import { useTargetActions } from '../target-actions';
import type { TargetsSearch } from '../targets-search';
import { HostKeyStatus } from './host-key-status';
import { TargetRowActions } from './target-row-actions';

function targetColumns(openAccounts: (target: Target) => void, folderNames: ReadonlyMap<string, { name: string; path: string }>): Column<Target>[] {
  return [
    { id: 'name', header: t('targets.col.name'), sortKey: 'name', width: '20%', cell: (x) => <span className="cell-main">{x.name}</span> },
    {
      id: 'folder',
      header: t('targets.col.folder'),
      width: '14%',
      cell: (x) => {
        const folder = folderNames.get(x.folderId);
        return folder ? <span title={folder.path}>{folder.name}</span> : t('table.empty.dash');
      },
    },
    { id: 'address', header: t('targets.col.address'), width: '18%', cell: (x) => <span className="mono">{x.address}</span> },
    { id: 'port', header: t('targets.col.port'), width: '7%', align: 'end', cell: (x) => x.port },
    { id: 'hostKey', header: t('targets.col.hostKey'), width: '14%', cell: (x) => <HostKeyStatus target={x} /> },
    {
      id: 'accounts',
      header: t('targets.col.accounts'),
      width: '10%',
      align: 'end',
      cell: (x) => (
        <button
          type="button"
          className="link-btn"
          onClick={() => openAccounts(x)}
          aria-label={t('targets.openAccounts', { count: x.accountCount, name: x.name })}
        >
          {x.accountCount}
        </button>
      ),
    },
    { id: 'created', header: t('targets.col.created'), sortKey: 'createdAt', width: '9%', cell: (x) => new Date(x.createdAt).toLocaleDateString() },
    { id: 'actions', header: t('targets.col.actions'), width: '8%', align: 'end', cell: (x) => <TargetRowActions target={x} /> },
  ];
}

export interface TargetsBrowserProps {
  /** Each folder's name and path, for the Folder column (the tree's list). */
  folderNames: ReadonlyMap<string, { name: string; path: string }>;
  /** The user may add a target somewhere: they manage at least one folder. */
  canAdd: boolean;
}

/** The Targets main tab: the folder chosen in the tree, search, sort, keyset pages, Add target. */
export function TargetsBrowser({ folderNames, canAdd }: TargetsBrowserProps) {
  const actions = useTargetActions();
  const [search, setSearch] = useUrlSearch<TargetsSearch>();
  const folderId = search.folder;
  const q = search.q ?? '';
  const sort: TargetSort = search.sort ?? 'name';
  const pageSize = search.size ?? 50;
  const [text, setText] = useState(q);
  const settled = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if (settled !== q) setSearch({ q: settled || undefined });
    // Only a settled edit of the box updates the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);
  const pages = useUrlCursorPages(search, setSearch);
  const hostKey = search.hostKey ?? '';
  const query = useTargets({
    folderId,
    q: q || undefined,
    hostKeyPending: hostKey === 'pending' ? 'true' : undefined,
    sort,
    limit: pageSize,
    cursor: pages.cursor,
  });
  const columns = useMemo(() => targetColumns((x) => actions.open('accounts', x), folderNames), [actions, folderNames]);
  const rows = query.data?.items;

  return (
    <div className="browser">
      <Toolbar
        label={t('targets.filter.label')}
        end={
          canAdd && (
            <Button variant="primary" onClick={() => actions.add(folderId)}>
              {t('targets.add')}
            </Button>
          )
        }
      >
        <TextField
          className="filter filter--search"
          type="search"
          label={t('targets.filter.search')}
          placeholder={t('targets.filter.searchPlaceholder')}
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
        />
        <SelectField
          className="filter"
          label={t('targets.filter.hostKey')}
          value={hostKey}
          onChange={(e) => setSearch({ hostKey: e.target.value === 'pending' ? 'pending' : undefined })}
          options={[
            { value: '', label: t('targets.filter.anyHostKey') },
            { value: 'pending', label: t('targets.filter.hostKeyPending') },
          ]}
        />
      </Toolbar>
      <DataTable
        label={t('targets.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(x) => x.id}
        status={query.status}
        refreshing={query.isPlaceholderData}
        sorting={{ sort, onSortChange: (s) => setSearch({ sort: s === 'name' ? undefined : (s as TargetSort) }) }}
        empty={
          q || hostKey ? (
            <EmptyState heading={t('targets.empty.filteredHeading')} />
          ) : folderId ? (
            <EmptyState heading={t('targets.empty.folderHeading')}>{t('targets.empty.folderBody')}</EmptyState>
          ) : (
            <EmptyState heading={t('targets.empty.heading')}>{t('targets.empty.body')}</EmptyState>
          )
        }
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      <Pager
        pages={pages}
        nextCursor={query.data?.nextCursor}
        rowsOnPage={rows?.length ?? 0}
        pageSize={pageSize}
        loading={query.isFetching}
        onPageSizeChange={(size) => setSearch({ size: size === 50 ? undefined : size })}
      />
    </div>
  );
}
