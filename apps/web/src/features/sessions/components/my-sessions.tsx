import type { SessionInfo } from '@passman/contracts';
import { useId, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { LoadMore } from '@/components/ui/load-more';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useEndMyOtherSessions, useEndMySession, useMySessions } from '../api/my-sessions';

type Confirming = { session: SessionInfo } | 'others' | null;

const address = (ip: string | null) => ip ?? t('table.empty.dash');

/** The signed-in user's own sessions: browser, address, last seen; end any other one, or all of them. */
export function MySessions() {
  const headingId = useId();
  const query = useMySessions();
  const endOne = useEndMySession();
  const endOthers = useEndMyOtherSessions();
  const [confirming, setConfirming] = useState<Confirming>(null);
  const rows = query.data?.pages.flatMap((page) => page.items);
  const others = rows?.filter((s) => !s.current) ?? [];

  const close = () => {
    endOne.reset();
    endOthers.reset();
    setConfirming(null);
  };

  const columns: Column<SessionInfo>[] = [
    {
      id: 'browser',
      header: t('security.sessions.col.browser'),
      width: '30%',
      cell: (s) => (
        <>
          <span className="muted" title={s.userAgent ?? undefined}>
            {s.userAgent ?? t('table.empty.dash')}
          </span>{' '}
          {s.current && <Badge tone="success">{t('security.sessions.thisBrowser')}</Badge>}
        </>
      ),
    },
    {
      id: 'address',
      header: t('security.sessions.col.address'),
      width: '22%',
      cell: (s) => (
        <>
          <span className="mono">{address(s.lastSeenIp)}</span>
          {s.loginIp && s.loginIp !== s.lastSeenIp && <span className="muted"> ({t('security.sessions.signedInFrom', { address: s.loginIp })})</span>}
        </>
      ),
    },
    { id: 'started', header: t('security.sessions.col.started'), width: '17%', cell: (s) => formatDateTime(s.createdAt) },
    { id: 'lastSeen', header: t('security.sessions.col.lastSeen'), width: '17%', cell: (s) => formatDateTime(s.lastSeenAt) },
    {
      id: 'actions',
      header: t('security.sessions.col.actions'),
      width: '14%',
      align: 'end',
      cell: (s) =>
        s.current ? null : (
          <Button
            size="sm"
            variant="danger"
            aria-label={t('security.sessions.endLabel', { when: formatDateTime(s.createdAt) })}
            onClick={() => setConfirming({ session: s })}
          >
            {t('security.sessions.end')}
          </Button>
        ),
    },
  ];

  return (
    <section className="history-section" aria-labelledby={headingId}>
      <div className="section-head">
        <h2 id={headingId} className="section-title">
          {t('security.sessions.heading')}
        </h2>
        <Button size="sm" variant="danger" disabled={others.length === 0} onClick={() => setConfirming('others')}>
          {t('security.sessions.endOthers')}
        </Button>
      </div>
      <DataTable
        label={t('security.sessions.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(s) => s.id}
        status={query.status}
        skeletonRows={2}
        empty={<EmptyState heading={t('security.sessions.empty')} />}
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      <LoadMore hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      {confirming === 'others' && (
        <ConfirmDialog
          title={t('security.sessions.endOthersTitle')}
          confirmLabel={t('security.sessions.endOthers')}
          pending={endOthers.isPending}
          onCancel={close}
          onConfirm={() => endOthers.mutate(undefined, { onSuccess: close })}
        >
          <p>{t('security.sessions.endOthersBody')}</p>
          {endOthers.isError && <FormAlert error={endOthers.error} />}
        </ConfirmDialog>
      )}
      {confirming && confirming !== 'others' && (
        <ConfirmDialog
          title={t('security.sessions.endTitle')}
          confirmLabel={t('security.sessions.end')}
          pending={endOne.isPending}
          onCancel={close}
          onConfirm={() => endOne.mutate(confirming.session.id, { onSuccess: close })}
        >
          <p>{t('security.sessions.endBody', { when: formatDateTime(confirming.session.createdAt), address: address(confirming.session.loginIp) })}</p>
          {endOne.isError && <FormAlert error={endOne.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
