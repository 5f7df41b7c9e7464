import type { Account, CredentialType, SshKeyType } from '@passman/contracts';
import { DEFAULT_SSH_KEY_TYPE } from '@passman/contracts/limits';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { CREDENTIAL_TYPES, SSH_KEY_TYPES, credentialTypeLabel } from '@/features/credentials/labels';
import { t } from '@/i18n';
import { paths } from '@/config/paths';
import { Link } from '@tanstack/react-router';
import { useCreateBulkJobs } from '../api/create-bulk-jobs';
import { BatchProgress } from './batch-progress';
import { LoseInSyncConfirm } from './lose-in-sync-confirm';

const REFUSAL_MESSAGE = {
  FORBIDDEN: 'bulk.refusedForbidden',
  NOT_FOUND: 'bulk.refusedNotFound',
  APPROVAL_REQUIRED: 'bulk.refusedApproval',
} as const;

/** Check or Reset (always Generate and Save) the selected accounts as one batch, followed live. */
export function BulkJobDialog({
  kind,
  accounts,
  onClose,
  onStarted,
}: {
  kind: 'check' | 'reset';
  accounts: readonly Account[];
  onClose: () => void;
  onStarted?: () => void;
}) {
  const bulk = useCreateBulkJobs();
  const [type, setType] = useState<CredentialType>('PASSWORD');
  const [sshKeyType, setSshKeyType] = useState<SshKeyType>(DEFAULT_SSH_KEY_TYPE);
  const [changeOnTarget, setChangeOnTarget] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const inSync = accounts.filter((a) => a.status === 'InSync').length;
  const count = accounts.length;

  function send(acknowledgeLossOfSync: boolean): void {
    const accountIds = accounts.map((a) => a.id);
    const request =
      kind === 'check'
        ? { kind: 'CHECK' as const, accountIds }
        : {
            kind: 'RESET' as const,
            accountIds,
            reset: {
              credentialType: type,
              changeOnTarget,
              ...(type === 'SSH_KEY' ? { sshKeyType } : {}),
              ...(acknowledgeLossOfSync ? { acknowledgeLossOfSync: true } : {}),
            },
          };
    bulk.mutate(request, { onSuccess: () => onStarted?.() });
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    // As for one account: taking InSync accounts out of sync is confirmed first (the API insists too).
    if (kind === 'reset' && !changeOnTarget && inSync > 0) setConfirming(true);
    else send(false);
  }

  const title = kind === 'check' ? t('bulk.checkTitle', { count }) : t('bulk.resetTitle', { count });
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        bulk.data ? (
          <>
            <Link className="btn" to={paths.jobs} onClick={onClose}>
              {t('bulk.openJobs')}
            </Link>
            <Button variant="primary" onClick={onClose}>
              {t('common.close')}
            </Button>
          </>
        ) : (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" form="bulk-form" variant="primary" pending={bulk.isPending}>
              {kind === 'check' ? t('bulk.startCheck') : t('bulk.startReset')}
            </Button>
          </>
        )
      }
    >
      {bulk.data ? (
        <>
          {bulk.data.refused.length > 0 && (
            <Alert tone="warning">
              {t('bulk.refused', { count: bulk.data.refused.length })}
              <span className="form-alert__issues">
                {bulk.data.refused.map((r) => {
                  const account = accounts.find((a) => a.id === r.accountId);
                  const name = account ? t('accounts.accountOnTarget', { account: account.username, target: account.target.name }) : r.accountId;
                  return (
                    <span key={r.accountId} className="form-alert__issue">
                      {t(REFUSAL_MESSAGE[r.code], { name })}
                    </span>
                  );
                })}
              </span>
            </Alert>
          )}
          <BatchProgress batchId={bulk.data.id} />
        </>
      ) : (
        <form id="bulk-form" className="form" onSubmit={submit} noValidate>
          <p>{kind === 'check' ? t('bulk.checkIntro', { count }) : t('bulk.resetIntro', { count })}</p>
          {kind === 'reset' && (
            <>
              <SelectField
                label={t('credentials.credentialType')}
                value={type}
                onChange={(e) => setType(e.target.value as CredentialType)}
                options={CREDENTIAL_TYPES.map((x) => ({ value: x, label: credentialTypeLabel(x) }))}
              />
              {type === 'SSH_KEY' && (
                <SelectField
                  label={t('reset.sshKey')}
                  value={sshKeyType}
                  onChange={(e) => setSshKeyType(e.target.value as SshKeyType)}
                  options={SSH_KEY_TYPES.map((x) => ({ value: x, label: x }))}
                />
              )}
              <CheckboxField
                label={t('reset.changeOnTarget')}
                hint={t('reset.changeOnTargetHint')}
                checked={changeOnTarget}
                onChange={(e) => setChangeOnTarget(e.target.checked)}
              />
              {!changeOnTarget && inSync > 0 && (
                <Alert tone="warning">
                  <strong>{t('reset.attention')}</strong> {t('bulk.loseInSyncWarning', { count: inSync })}
                </Alert>
              )}
            </>
          )}
          {bulk.isError && <FormAlert error={bulk.error} />}
        </form>
      )}
      {confirming && (
        <LoseInSyncConfirm
          warning={t('bulk.loseInSyncWarning', { count: inSync })}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            send(true);
          }}
        />
      )}
    </Dialog>
  );
}
