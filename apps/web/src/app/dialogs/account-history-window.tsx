import type { Account, Credential, CredentialVersion } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { AuditTrailList } from '@/features/audit/components/audit-trail-list';
import { useCredentials } from '@/features/credentials/api/get-credentials';
import { CredentialVersions } from '@/features/credentials/components/credential-versions';
import { t } from '@/i18n';
import { RestoreVersionDialog } from './restore-version-dialog';

/** History: the versions of each credential of the account (each retired one restorable), and the account's audit trail. */
export function AccountHistoryWindow({ account, onClose }: { account: Account; onClose: () => void }) {
  const credentials = useCredentials(account.id);
  const [restoring, setRestoring] = useState<{ credential: Credential; version: CredentialVersion } | null>(null);
  // The buttons show where the account's rights allow a restore somewhere; the server decides again.
  const canRestore = account.myRights.includes('update') || account.myRights.includes('reset');
  return (
    <>
      <Dialog
        size="lg"
        title={t('history.title', { account: account.username })}
        description={t('reset.description', { target: account.target.name })}
        onClose={onClose}
        footer={
          <Button variant="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        }
      >
        <h3 className="section-title">{t('history.credentials')}</h3>
        {credentials.isPending ? (
          <Spinner />
        ) : credentials.isError ? (
          <ErrorState error={credentials.error} onRetry={() => void credentials.refetch()} />
        ) : credentials.data.length === 0 ? (
          <p className="muted">{t('credentials.none')}</p>
        ) : (
          credentials.data.map((c) => (
            <div key={c.id} className="history-credential">
              <CredentialVersions credential={c} onRestore={canRestore ? (version) => setRestoring({ credential: c, version }) : undefined} />
              <AuditTrailList objectType="credential" objectId={c.id} limit={10} />
            </div>
          ))
        )}
        <h3 className="section-title">{t('history.audit')}</h3>
        <p className="muted">{t('history.auditHint')}</p>
        <AuditTrailList objectType="account" objectId={account.id} />
      </Dialog>
      {restoring && <RestoreVersionDialog account={account} credential={restoring.credential} version={restoring.version} onClose={() => setRestoring(null)} />}
    </>
  );
}
