import type { ApiToken, User } from '@passman/contracts';
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
import { useRevokeUserToken, useUserTokens } from '../api/user-access';

/** `asOf`: when the list was fetched (a render must not read the clock). */
function TokenStatus({ token, asOf }: { token: ApiToken; asOf: number }) {
  if (token.revokedAt) return <Badge tone="danger">{token.revokedReason ? t(`users.tokens.reason.${token.revokedReason}`) : t('users.tokens.revoked')}</Badge>;
  if (Date.parse(token.expiresAt) <= asOf) return <Badge>{t('users.tokens.expired')}</Badge>;
  return <Badge tone="success">{t('users.tokens.active')}</Badge>;
}

const usable = (token: ApiToken, asOf: number) => !token.revokedAt && Date.parse(token.expiresAt) > asOf;

/** A user's API tokens: scopes, expiry, when and where last used, why revoked; revoke one. */
export function UserTokens({ user }: { user: User }) {
  const headingId = useId();
  const query = useUserTokens(user.id);
  const revoke = useRevokeUserToken(user.id);
  const [confirming, setConfirming] = useState<ApiToken | null>(null);
  const rows = query.data?.pages.flatMap((page) => page.items);
  const asOf = query.dataUpdatedAt;

  const close = () => {
    revoke.reset();
    setConfirming(null);
  };

  const columns: Column<ApiToken>[] = [
    {
      id: 'name',
      header: t('users.tokens.col.name'),
      width: '16%',
      cell: (k) => (
        <span title={t('users.tokens.createdAt', { when: formatDateTime(k.createdAt) })}>
          <span className="cell-main">{k.name}</span> <span className="mono muted">{k.prefix}…</span>
        </span>
      ),
    },
    {
      id: 'scopes',
      header: t('users.tokens.col.scopes'),
      width: '12%',
      cell: (k) => (
        <span title={k.scopes.join(', ')}>
          {k.scopes.length === 1 ? <span className="mono">{k.scopes[0]}</span> : t('users.tokens.scopeCount', { count: k.scopes.length })}
        </span>
      ),
    },
    { id: 'expires', header: t('users.tokens.col.expires'), width: '16%', cell: (k) => formatDateTime(k.expiresAt) },
    { id: 'lastUsed', header: t('users.tokens.col.lastUsed'), width: '16%', cell: (k) => formatDateTime(k.lastUsedAt, t('users.never')) },
    { id: 'address', header: t('users.tokens.col.address'), width: '12%', cell: (k) => <span className="mono">{k.lastUsedIp ?? t('table.empty.dash')}</span> },
    {
      id: 'status',
      header: t('users.tokens.col.status'),
      width: '18%',
      cell: (k) => (
        <span title={k.revokedAt ? formatDateTime(k.revokedAt) : undefined}>
          <TokenStatus token={k} asOf={asOf} />
        </span>
      ),
    },
    {
      id: 'actions',
      header: t('users.tokens.col.actions'),
      width: '10%',
      align: 'end',
      cell: (k) =>
        usable(k, asOf) && (
          <Button size="sm" variant="danger" aria-label={t('users.tokens.revokeLabel', { name: k.name })} onClick={() => setConfirming(k)}>
            {t('users.tokens.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <section className="history-section" aria-labelledby={headingId}>
      <h3 id={headingId} className="section-title">
        {t('users.tokens.heading')}
      </h3>
      <DataTable
        label={t('users.tokens.tableLabel', { name: user.username })}
        columns={columns}
        rows={rows}
        getRowId={(k) => k.id}
        status={query.status}
        skeletonRows={2}
        empty={<EmptyState heading={t('users.tokens.empty')} />}
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      <LoadMore hasMore={query.hasNextPage} loading={query.isFetchingNextPage} onLoadMore={() => void query.fetchNextPage()} />
      {confirming && (
        <ConfirmDialog
          title={t('users.tokens.revokeTitle', { name: confirming.name })}
          confirmLabel={t('users.tokens.revoke')}
          pending={revoke.isPending}
          onCancel={close}
          onConfirm={() => revoke.mutate(confirming.id, { onSuccess: close })}
        >
          <p>{t('users.tokens.revokeBody', { prefix: confirming.prefix })}</p>
          {revoke.isError && <FormAlert error={revoke.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
