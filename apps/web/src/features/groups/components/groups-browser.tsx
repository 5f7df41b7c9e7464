import type { Group } from '@passman/contracts';
import { useEffect, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { MenuButton } from '@/components/ui/menu';
import { TextField } from '@/components/ui/text-field';
import { Toolbar } from '@/components/ui/toolbar';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useUrlSearch } from '@/lib/url-state';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useGroups } from '../api/get-groups';
import type { GroupsSearch } from '../groups-search';
import { DeleteGroupDialog } from './delete-group-dialog';
import { GroupFormDialog } from './group-form-dialog';

type Open = { kind: 'create' } | { kind: 'edit'; group: Group } | { kind: 'delete'; group: Group } | null;

/**
 * The Groups page (administrators): user groups, whom grants in the vault tree can name. The
 * members window is the app's (it lists users, another feature): `membersWindow` renders it for
 * the group the address names.
 */
export function GroupsBrowser({ membersWindow }: { membersWindow: (groupId: string, onClose: () => void) => ReactNode }) {
  const [search, setSearch] = useUrlSearch<GroupsSearch>();
  const q = search.q ?? '';
  const [text, setText] = useState(q);
  const settled = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if (settled !== q) setSearch({ q: settled || undefined }, { pagesKey: null });
    // Only a settled edit of the box updates the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);
  const query = useGroups({ q: q || undefined });
  const [open, setOpen] = useState<Open>(null);
  const openMembers = (group: Group) => setSearch({ group: group.id }, { push: true, pagesKey: null });
  const close = () => setOpen(null);

  const columns: Column<Group>[] = [
    { id: 'name', header: t('groups.col.name'), width: '24%', cell: (g) => <span className="cell-main">{g.name}</span> },
    { id: 'description', header: t('groups.col.description'), width: '34%', cell: (g) => g.description || t('table.empty.dash') },
    {
      id: 'members',
      header: t('groups.col.members'),
      width: '14%',
      align: 'end',
      cell: (g) => (
        <button type="button" className="link-btn" aria-label={t('groups.openMembers', { count: g.memberCount, name: g.name })} onClick={() => openMembers(g)}>
          {g.memberCount}
        </button>
      ),
    },
    { id: 'created', header: t('groups.col.created'), width: '18%', cell: (g) => formatDateTime(g.createdAt) },
    {
      id: 'actions',
      header: t('groups.col.actions'),
      width: '10%',
      align: 'end',
      hideHeader: true,
      cell: (g) => (
        <MenuButton
          label={t('groups.actionsFor', { name: g.name })}
          items={[
            { id: 'members', label: t('groups.menu.members'), onSelect: () => openMembers(g) },
            { id: 'edit', label: t('groups.menu.edit'), onSelect: () => setOpen({ kind: 'edit', group: g }) },
            { id: 'delete', label: t('groups.menu.delete'), danger: true, onSelect: () => setOpen({ kind: 'delete', group: g }) },
          ]}
        />
      ),
    },
  ];

  return (
    <div className="browser">
      <Toolbar
        label={t('groups.toolbar')}
        end={
          <Button variant="primary" onClick={() => setOpen({ kind: 'create' })}>
            {t('groups.new')}
          </Button>
        }
      >
        <TextField
          className="filter filter--search"
          type="search"
          label={t('groups.filter.search')}
          placeholder={t('groups.filter.searchPlaceholder')}
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
        />
      </Toolbar>
      <DataTable
        label={t('groups.tableLabel')}
        columns={columns}
        rows={query.data?.items}
        getRowId={(g) => g.id}
        status={query.status}
        refreshing={query.isPlaceholderData}
        empty={q ? <EmptyState heading={t('groups.empty.filtered')} /> : <EmptyState heading={t('groups.empty.heading')}>{t('groups.empty.body')}</EmptyState>}
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      {open?.kind === 'create' && (
        <GroupFormDialog
          onClose={close}
          onSaved={(group) => {
            close();
            openMembers(group);
          }}
        />
      )}
      {open?.kind === 'edit' && <GroupFormDialog group={open.group} onClose={close} />}
      {open?.kind === 'delete' && <DeleteGroupDialog group={open.group} onClose={close} />}
      {search.group && membersWindow(search.group, () => setSearch({ group: undefined }, { pagesKey: null }))}
    </div>
  );
}
