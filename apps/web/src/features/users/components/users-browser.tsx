import type { User } from '@passman/contracts';
import { useEffect, useRef, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { Pager } from '@/components/ui/pager';
import { TextField } from '@/components/ui/text-field';
import { Toolbar } from '@/components/ui/toolbar';
import { roleLabel } from '@/features/auth/role-label';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { searchQueryOf } from '@/lib/search-text';
import { useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useUsers } from '../api/get-users';
import type { UsersSearch } from '../users-search';
import { UserAccessWindow } from './user-access-window';

/**
 * The Users page (users.manage): every user, or those whose username or display name contains the
 * search (kept in the address), and a window with a user's sessions and tokens.
 */
export function UsersBrowser() {
  const [search, setSearch] = useUrlSearch<UsersSearch>();
  const q = search.q ?? '';
  const [text, setText] = useState(q);
  const settled = useDebouncedValue(searchQueryOf(text), 300);
  // The q this box last put in the address: any other (Back, a link) is shown in the box.
  const written = useRef(q);
  useEffect(() => {
    // A settled edit of the box replaces the address (back to the first page).
    if (settled === q) return;
    written.current = settled;
    setSearch({ q: settled || undefined });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);
  useEffect(() => {
    if (q === written.current) return;
    written.current = q;
    setText(q);
  }, [q]);
  const pageSize = search.size ?? 50;
  const pages = useUrlCursorPages(search, setSearch);
  const query = useUsers({ q: q || undefined, limit: pageSize, cursor: pages.cursor });
  const [chosen, setChosen] = useState<User | null>(null);
  const rows = query.data?.items;

  const columns: Column<User>[] = [
    {
      id: 'username',
      header: t('users.col.username'),
      width: '28%',
      cell: (u) => (
        <span className="cell-main" title={u.displayName}>
          {u.username}
        </span>
      ),
    },
    { id: 'role', header: t('users.col.role'), width: '16%', cell: (u) => roleLabel(u.role) },
    {
      id: 'status',
      header: t('users.col.status'),
      width: '14%',
      cell: (u) => (u.disabled ? <Badge tone="danger">{t('users.status.disabled')}</Badge> : <Badge tone="success">{t('users.status.active')}</Badge>),
    },
    { id: 'lastLogin', header: t('users.col.lastLogin'), width: '20%', cell: (u) => formatDateTime(u.lastLoginAt, t('users.never')) },
    {
      id: 'actions',
      header: t('users.col.actions'),
      width: '22%',
      align: 'end',
      cell: (u) => (
        <Button size="sm" aria-label={t('users.access.openFor', { name: u.username })} onClick={() => setChosen(u)}>
          {t('users.access.open')}
        </Button>
      ),
    },
  ];

  return (
    <div className="browser">
      <Toolbar label={t('users.toolbar')}>
        <TextField
          className="filter filter--search"
          type="search"
          label={t('users.filter.search')}
          placeholder={t('users.filter.searchPlaceholder')}
          value={text}
          maxLength={100}
          onChange={(e) => setText(e.target.value)}
        />
        <p className="muted">{t('users.intro')}</p>
      </Toolbar>
      <DataTable
        label={t('users.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(u) => u.id}
        status={query.status}
        refreshing={query.isPlaceholderData}
        empty={<EmptyState heading={q ? t('users.empty.filtered') : t('users.empty')} />}
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
      {chosen && <UserAccessWindow user={chosen} onClose={() => setChosen(null)} />}
    </div>
  );
}
