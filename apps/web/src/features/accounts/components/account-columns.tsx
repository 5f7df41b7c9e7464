import type { Account } from '@passman/contracts';
import type { Column } from '@/components/ui/data-table';
import { Icon } from '@/components/ui/icon';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { AccountRowActions } from './account-row-actions';
import { AccountStatusBadge, ComplianceBadge } from './account-status';

// Built on render, not at import, so headers follow the active locale.
export function accountColumns({ withTarget }: { withTarget: boolean }): Column<Account>[] {
  const columns: (Column<Account> | false)[] = [
    {
      id: 'account',
      header: t('accounts.col.account'),
      sortKey: 'username',
      width: withTarget ? '14%' : '18%',
      cell: (a) => (
        <span className="cell-main" title={a.description || undefined}>
          {a.username}
          {a.checkout && (
            <span className="cell-icon" title={t('accounts.checkedOut')}>
              <Icon name="key" size={14} />
              <span className="sr-only">{t('accounts.checkedOut')}</span>
            </span>
          )}
        </span>
      ),
    },
    withTarget && {
      id: 'target',
      header: t('accounts.col.target'),
      sortKey: 'target',
      width: '14%',
      cell: (a) => <span title={a.target.address}>{a.target.name}</span>,
    },
    { id: 'status', header: t('accounts.col.status'), sortKey: 'status', width: '20%', cell: (a) => <AccountStatusBadge account={a} /> },
    {
      id: 'lastChecked',
      header: t('accounts.col.lastChecked'),
      sortKey: 'lastCheckedAt',
      width: '15%',
      cell: (a) => formatDateTime(a.lastCheckedAt, t('accounts.never')),
    },
    { id: 'lastChanged', header: t('accounts.col.lastChanged'), width: '15%', cell: (a) => formatDateTime(a.lastChangedAt, t('accounts.never')) },
    { id: 'compliance', header: t('accounts.col.compliance'), width: '13%', cell: (a) => <ComplianceBadge compliance={a.compliance} /> },
    { id: 'actions', header: t('accounts.col.actions'), width: '112px', align: 'end', cell: (a) => <AccountRowActions account={a} /> },
  ];
  return columns.filter((c): c is Column<Account> => c !== false);
}
