import type { SessionInfo, User } from '@passman/contracts';
import { useId, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { LoadMore } from '@/components/ui/load-more';
import { useUser } from '@/features/auth/api/get-me';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useEndUserSession, useEndUserSessions, useUserSessions } from '../api/user-access';

type Confirming = { session: SessionInfo } | 'all' | null;

const address = (ip: string | null) => ip ?? t('table.empty.dash');

/** A user's browser sessions: when and where they were last used; revoke one or all. */
export function UserSessions({ user }: { user: User }) {
  const headingId = useId();
  const me = useUser();
  const query = useUserSessions(user.id);
  const endOne = useEndUserSession(user.id);
  const endAll = useEndUserSessions(user.id);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const rows = query.data?.pages.flatMap((page) => page.items);

  const close = () => {
    endOne.reset();
    endAll.reset();
    setConfirming(null);
  };

  const columns: Column<SessionInfo>[] = [
    {
      id: 'started',
      header: t('users.sessions.col.started'),
      width: '20%',
      cell: (s) => (
        <>
          {formatDateTime(s.createdAt)} {s.current && <Badge tone="success">{t('users.sessions.current')}</Badge>}
        </>
      ),
    },
    { id: 'lastSeen', header: t('users.sessions.col.lastSeen'), width: '18%', cell: (s) => formatDateTime(s.lastSeenAt) },
    {
      id: 'address',
      header: t('users.sessions.col.address'),
      width: '22%',
      cell: (s) => (
        <>
          <span className="mono">{address(s.lastSeenIp)}</span>
          {s.loginIp && s.loginIp !== s.lastSeenIp && <span className="muted"> ({t('users.sessions.signedInFrom', { address: s.loginIp })})</span>}
        </>
      ),
    },
    {
      id: 'browser',
      header: t('users.sessions.col.browser'),
      width: '26%',
      cell: (s) => (
        <span className="muted" title={s.userAgent ?? undefined}>
          {s.userAgent ?? t('table.empty.dash')}
        </span>
      ),
    },
    {
      id: 'actions',
      header: t('users.sessions.col.actions'),
      width: '14%',
      align: 'end',
      cell: (s) => (
        <Button
          size="sm"
          variant="danger"
          aria-label={t('users.sessions.revokeLabel', { when: formatDateTime(s.createdAt) })}
          onClick={() => setConfirming({ session: s })}
        >
          {t('users.sessions.revoke')}
        </Button>
      ),
    },
  ];

  return (
    <section className="history-section" aria-labelledby={headingId}>
      <div className="section-head">
        <h3 id={headingId} className="section-title">
          {t('users.sessions.heading')}
        </h3>
        <Button size="sm" variant="danger" disabled={!rows || rows.length === 0} onClick={() => setConfirming('all')}>
          {t('users.sessions.endAll')}
        </Button>
      </div>
      <DataTable
        label={t('users.sessions.tableLabel', { name: user.username })}
        columns={columns}
        rows={rows}
        getRowId={(s) => s.id}
        status={query.status}
        skeletonRows={2}
        empty={<EmptyState heading={t('users.sessions.empty')} />}
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      <LoadMore hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      {confirming === 'all' && (
        <ConfirmDialog
          title={t('users.sessions.endAllTitle', { name: user.username })}
          confirmLabel={t('users.sessions.endAll')}
          pending={endAll.isPending}
          onCancel={close}
          onConfirm={() => endAll.mutate(undefined, { onSuccess: close })}
        >
          <p>{t('users.sessions.endAllBody', { name: user.username })}</p>
          {user.id === me.id && <p>{t('users.sessions.endAllSelf')}</p>}
          {endAll.isError && <FormAlert error={endAll.error} />}
        </ConfirmDialog>
      )}
      {confirming && confirming !== 'all' && (
        <ConfirmDialog
          title={t('users.sessions.revokeTitle')}
          confirmLabel={t('users.sessions.revoke')}
          pending={endOne.isPending}
          onCancel={close}
          onConfirm={() => endOne.mutate(confirming.session.id, { onSuccess: close })}
        >
          <p>{t('users.sessions.revokeBody', { when: formatDateTime(confirming.session.createdAt), address: address(confirming.session.loginIp) })}</p>
          {endOne.isError && <FormAlert error={endOne.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
