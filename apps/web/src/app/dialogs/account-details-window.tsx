import type { Account, Permission, VaultAction } from '@passman/contracts';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/description-list';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { TabbedWindow } from '@/components/ui/tabbed-window';
import { Spinner } from '@/components/ui/spinner';
import { useAccountActions, type AccountAction } from '@/features/accounts/account-actions';
import { useAccount } from '@/features/accounts/api/get-account';
import { AccountStatusBadge, ComplianceBadge } from '@/features/accounts/components/account-status';
import { ApprovalRulesPanel } from '@/features/approvals/components/approval-rules-panel';
import { useAuditEvents } from '@/features/audit/api/get-audit-events';
import { useCan } from '@/features/auth/use-permission';
import { CredentialsList } from '@/features/credentials/components/credentials-list';
import { useUnconfirmedReset } from '@/features/jobs/api/get-unconfirmed-reset';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { LazyPermissionsTab } from './lazy-permissions-tab';

// Each button shows only where the account's rights allow it (`myRights`, already narrowed by the role); the server decides again.
const buttons: { action: AccountAction; label: () => string; right: VaultAction; alsoNeeds?: Permission; danger?: boolean }[] = [
  { action: 'check', label: () => t('actions.check'), right: 'check' },
  { action: 'checkout', label: () => t('actions.checkout'), right: 'checkout' },
  { action: 'reset', label: () => t('actions.reset'), right: 'reset' },
  { action: 'autoReset', label: () => t('actions.autoReset'), right: 'reset' },
  { action: 'history', label: () => t('actions.history'), right: 'view', alsoNeeds: 'credentials.view' },
  { action: 'edit', label: () => t('actions.edit'), right: 'manage' },
  { action: 'delete', label: () => t('actions.delete'), right: 'manage', danger: true },
];

function LastAction({ accountId }: { accountId: string }) {
  const query = useAuditEvents({ objectType: 'account', objectId: accountId, limit: 1 });
  const last = query.data?.items[0];
  if (!last) return <>{t('table.empty.dash')}</>;
  return <>{t('details.lastActionText', { action: last.action, actor: last.actorName, at: formatDateTime(last.at) })}</>;
}

/** A reset whose outcome is unknown holds the account until someone says which secret the target holds: say so first. */
function UnconfirmedReset({ account }: { account: Account }) {
  const actions = useAccountActions();
  const can = useCan();
  const { job } = useUnconfirmedReset(account.id, can('jobs.view'));
  if (!job) return null;
  const mayAct = account.myRights.includes('reset') || account.myRights.includes('checkout');
  return (
    <Alert
      tone="warning"
      action={
        mayAct && (
          <Button size="sm" variant="primary" onClick={() => actions.open('confirmOutcome', account)}>
            {t('outcome.open')}
          </Button>
        )
      }
    >
      {t('outcome.banner')}
    </Alert>
  );
}

function AccountDetails({ account }: { account: Account }) {
  const actions = useAccountActions();
  const can = useCan();
  const shown = buttons.filter((b) => account.myRights.includes(b.right) && (!b.alsoNeeds || can(b.alsoNeeds)));
  return (
    <>
      <UnconfirmedReset account={account} />
      {shown.length > 0 && (
        <div className="details-actions" role="group" aria-label={t('details.actions')}>
          {shown.map((b) => (
            <Button key={b.action} size="sm" variant={b.danger ? 'ghost' : 'secondary'} onClick={() => actions.open(b.action, account)}>
              {b.label()}
            </Button>
          ))}
        </div>
      )}
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
          {account.myRights.includes('update') && (
            <Button size="sm" onClick={() => actions.open('addCredential', account)}>
              {t('credentials.add.open')}
            </Button>
          )}
        </div>
        <CredentialsList accountId={account.id} />
      </section>
    </>
  );
}

/** The "i" window: everything about one account, every action on it the user may take, and its permissions. */
export function AccountDetailsWindow({ account: initial, onClose }: { account: Account; onClose: () => void }) {
  const { data: account = initial } = useAccount(initial.id, initial);
  const [tab, setTab] = useState('details');
  return (
    <TabbedWindow
      size="lg"
      title={t('details.title', { account: account.username })}
      description={t('details.description', { target: account.target.name, address: account.target.address })}
      onClose={onClose}
      tabsLabel={t('details.tabs', { account: account.username })}
      tabs={[
        { id: 'details', label: t('details.tab.details') },
        { id: 'permissions', label: t('details.tab.permissions') },
        { id: 'approvals', label: t('approvals.tab') },
      ]}
      selectedId={tab}
      onSelect={setTab}
    >
      {tab === 'details' ? (
        <AccountDetails account={account} />
      ) : tab === 'approvals' ? (
        <ApprovalRulesPanel object={{ type: 'account', id: account.id, name: account.username }} canEdit={account.myRights.includes('manage_permissions')} />
      ) : (
        <LazyPermissionsTab object={{ type: 'account', id: account.id, name: account.username }} myRights={account.myRights} />
      )}
    </TabbedWindow>
  );
}

/** The details window of the account the address names (`?account=`): a link opens it, and says so when the account cannot be seen. */
export function AccountDetailsById({ accountId, onClose }: { accountId: string; onClose: () => void }) {
  const account = useAccount(accountId);
  if (account.data) return <AccountDetailsWindow account={account.data} onClose={onClose} />;
  return (
    <Dialog
      title={account.isError ? t('details.unavailable') : t('table.loading')}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      {account.isError ? <ErrorState error={account.error} /> : <Spinner />}
    </Dialog>
  );
}
