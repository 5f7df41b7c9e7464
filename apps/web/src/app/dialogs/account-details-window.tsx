import type { Account, Permission } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/description-list';
import { Dialog } from '@/components/ui/dialog';
import { useAccountActions, type AccountAction } from '@/features/accounts/account-actions';
import { useAccount } from '@/features/accounts/api/get-account';
import { AccountStatusBadge, ComplianceBadge } from '@/features/accounts/components/account-status';
import { useAuditEvents } from '@/features/audit/api/get-audit-events';
import { useCan } from '@/features/auth/use-permission';
import { CredentialsList } from '@/features/credentials/components/credentials-list';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';

const buttons: { action: AccountAction; label: () => string; needs: Permission; danger?: boolean }[] = [
  { action: 'check', label: () => t('actions.check'), needs: 'credentials.check' },
  { action: 'checkout', label: () => t('actions.checkout'), needs: 'credentials.checkout' },
  { action: 'reset', label: () => t('actions.reset'), needs: 'credentials.reset' },
  { action: 'autoReset', label: () => t('actions.autoReset'), needs: 'credentials.reset' },
  { action: 'history', label: () => t('actions.history'), needs: 'credentials.view' },
  { action: 'edit', label: () => t('actions.edit'), needs: 'accounts.manage' },
  { action: 'delete', label: () => t('actions.delete'), needs: 'accounts.manage', danger: true },
];

function LastAction({ accountId }: { accountId: string }) {
  const query = useAuditEvents({ objectType: 'account', objectId: accountId, limit: 1 });
  const last = query.data?.items[0];
  if (!last) return <>{t('table.empty.dash')}</>;
  return <>{t('details.lastActionText', { action: last.action, actor: last.actorName, at: formatDateTime(last.at) })}</>;
}

/** The "i" window: everything about one account, and every action on it in one place. */
export function AccountDetailsWindow({ account: initial, onClose }: { account: Account; onClose: () => void }) {
  const { data: account = initial } = useAccount(initial.id, initial);
  const actions = useAccountActions();
  const can = useCan();
  return (
    <Dialog
      size="lg"
      title={t('details.title', { account: account.username })}
      description={t('details.description', { target: account.target.name, address: account.target.address })}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <div className="details-actions" role="group" aria-label={t('details.actions')}>
        {buttons.map((b) => (
          <Button key={b.action} size="sm" variant={b.danger ? 'ghost' : 'secondary'} disabled={!can(b.needs)} onClick={() => actions.open(b.action, account)}>
            {b.label()}
          </Button>
        ))}
      </div>
      <DescriptionList
        items={[
          { label: t('details.status'), value: <AccountStatusBadge account={account} /> },
          { label: t('accounts.col.lastChecked'), value: formatDateTime(account.lastCheckedAt, t('accounts.never')) },
          { label: t('accounts.col.lastChanged'), value: formatDateTime(account.lastChangedAt, t('accounts.never')) },
          { label: t('details.policy'), value: account.policy?.name ?? t('accounts.form.defaultPolicy') },
          { label: t('accounts.col.compliance'), value: <ComplianceBadge compliance={account.compliance} /> },
          {
            label: t('details.checkout'),
            value: account.checkout ? t('details.checkedOutSince', { at: formatDateTime(account.checkout.checkedOutAt) }) : t('details.notCheckedOut'),
          },
          { label: t('details.managing'), value: account.isManagingAccount ? t('common.yes') : t('common.no') },
          { label: t('details.lastAction'), value: <LastAction accountId={account.id} /> },
          { label: t('accounts.form.description'), value: account.description || t('table.empty.dash') },
        ]}
      />
      <section className="details-section" aria-labelledby="details-credentials">
        <div className="section-head">
          <h3 id="details-credentials" className="section-title">
            {t('details.credentials')}
          </h3>
          <Button size="sm" disabled={!can('credentials.update')} onClick={() => actions.open('addCredential', account)}>
            {t('credentials.add.open')}
          </Button>
        </div>
        <CredentialsList accountId={account.id} />
      </section>
    </Dialog>
  );
}
