import type { Account, Credential, CredentialVersion } from '@passman/contracts';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { useRestoreVersion } from '@/features/credentials/api/restore-version';
import { credentialLabel } from '@/features/credentials/labels';
import { ResetJobProgress } from '@/features/jobs/components/reset-job-progress';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';

/** The reason the API gave for a 409, in the dialog's words (the server's own text is not shown). */
function conflictMessage(error: unknown): string | undefined {
  if (!isApiError(error) || error.status !== 409) return undefined;
  const reason = error.extensions.reason;
  return typeof reason === 'string' && ['RESET_IN_PROGRESS', 'VERSION_NOT_RESTORABLE', 'NONCOMPLIANT', 'WOULD_LOSE_SYNC', 'SAME_AS_CURRENT'].includes(reason)
    ? t(`restore.conflict.${reason as 'RESET_IN_PROGRESS'}`)
    : undefined;
}

/**
 * Restore an older version: says what will happen on the host before anything does. On the
 * target it is a reset (the old value is applied, verified with a fresh login, then made current)
 * followed live; in the vault only, nothing reaches the host and the account is Unknown until checked.
 */
export function RestoreVersionDialog({
  account,
  credential,
  version,
  onClose,
}: {
  account: Account;
  credential: Credential;
  version: CredentialVersion;
  onClose: () => void;
}) {
  const canTarget = account.myRights.includes('reset') && credential.type !== 'PIN';
  const canVault = account.myRights.includes('update');
  const [onTarget, setOnTarget] = useState(canTarget);
  const [acceptNoncompliant, setAcceptNoncompliant] = useState(false);
  const restore = useRestoreVersion();
  const noncompliant = version.compliant === false;
  const done = restore.data;
  const label = credentialLabel(credential);

  const submit = () =>
    restore.mutate({
      credentialId: credential.id,
      version: version.version,
      onTarget,
      // The dialog said so in words: the account loses InSync when only the vault copy changes.
      ...(onTarget ? {} : { acknowledgeLossOfSync: true }),
      ...(acceptNoncompliant ? { acceptNoncompliant: true } : {}),
    });

  return (
    <Dialog
      title={t('restore.title', { version: version.version, credential: label })}
      description={t('restore.description', { account: account.username, target: account.target.name })}
      onClose={onClose}
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button data-autofocus onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button
              variant="primary"
              pending={restore.isPending}
              disabled={(noncompliant && !acceptNoncompliant) || (!canTarget && !canVault)}
              onClick={submit}
            >
              {onTarget ? t('restore.confirmOnTarget') : t('restore.confirmVaultOnly')}
            </Button>
          </>
        )
      }
    >
      {done ? (
        done.job ? (
          <ResetJobProgress jobId={done.job.id} account={account} />
        ) : (
          <Alert tone="success">{t('restore.doneVaultOnly', { version: done.version?.version ?? 0, from: done.restoredFrom })}</Alert>
        )
      ) : (
        <div className="dialog__prose">
          <fieldset className="choice-group">
            <legend>{t('restore.where')}</legend>
            <label className="choice">
              <input type="radio" name="restore-where" checked={onTarget} disabled={!canTarget} onChange={() => setOnTarget(true)} />
              <span>
                <span className="choice__label">{t('restore.onTarget')}</span>
                <span className="choice__hint">{t('restore.onTargetHint', { target: account.target.name, account: account.username })}</span>
              </span>
            </label>
            <label className="choice">
              <input type="radio" name="restore-where" checked={!onTarget} disabled={!canVault} onChange={() => setOnTarget(false)} />
              <span>
                <span className="choice__label">{t('restore.vaultOnly')}</span>
                <span className="choice__hint">
                  {t('restore.vaultOnlyHint', { target: account.target.name })}
                  {account.status === 'InSync' ? ` ${t('restore.losesInSync')}` : ''}
                </span>
              </span>
            </label>
          </fieldset>
          {noncompliant && (
            <>
              <Alert tone="warning">{t('restore.noncompliant')}</Alert>
              <CheckboxField label={t('restore.acceptNoncompliant')} checked={acceptNoncompliant} onChange={(e) => setAcceptNoncompliant(e.target.checked)} />
            </>
          )}
          {restore.isError && <FormAlert error={restore.error} message={conflictMessage(restore.error)} />}
        </div>
      )}
    </Dialog>
  );
}
