import type { User } from '@passman/contracts';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { Pager } from '@/components/ui/pager';
import { Toolbar } from '@/components/ui/toolbar';
import { roleLabel } from '@/features/auth/role-label';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { useUsers } from '../api/get-users';
import type { UsersSearch } from '../users-search';
import { UserAccessWindow } from './user-access-window';

/** The Users page (users.manage): every user, and a window with a user's sessions and tokens. */
export function UsersBrowser() {
  const [search, setSearch] = useUrlSearch<UsersSearch>();
  const pageSize = search.size ?? 50;
  const pages = useUrlCursorPages(search, setSearch);
  const query = useUsers({ limit: pageSize, cursor: pages.cursor });
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
        <p className="muted">{t('users.intro')}</p>
      </Toolbar>
      <DataTable
        label={t('users.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(u) => u.id}
        status={query.status}
        refreshing={query.isPlaceholderData}
        empty={<EmptyState heading={t('users.empty')} />}
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
