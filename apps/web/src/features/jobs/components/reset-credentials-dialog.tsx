import type { Account } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { approvalRequired } from '@/features/approvals/approval-required';
import { ApprovalRequestForm } from '@/features/approvals/components/approval-request-form';
import { Spinner } from '@/components/ui/spinner';
import { useAccount } from '@/features/accounts/api/get-account';
import { useCredentials } from '@/features/credentials/api/get-credentials';
import { t } from '@/i18n';
import { useResetCredentials } from '../api/reset-credentials';
import { resetErrorMessage } from '../reset-error-message';
import { RESET_FORM_ID, ResetForm, type ResetChoice } from './reset-form';
import { LoseInSyncConfirm } from './lose-in-sync-confirm';
import { ResetJobProgress } from './reset-job-progress';

/** Reset Credentials: the form, the InSync-loss confirmation, then the job live and its outcome. */
export function ResetCredentialsDialog({
  account: initial,
  onClose,
  onAddCredential,
}: {
  account: Account;
  onClose: () => void;
  onAddCredential?: () => void;
}) {
  const { data: account = initial } = useAccount(initial.id, initial);
  const credentials = useCredentials(account.id);
  const reset = useResetCredentials();
  const [pending, setPending] = useState<ResetChoice | null>(null);
  const [confirming, setConfirming] = useState(false);
  const job = reset.data;

  function send(choice: ResetChoice, acknowledge: boolean): void {
    setPending(choice);
    reset.mutate({
      accountId: account.id,
      credentialId: choice.credentialId,
      credentialType: choice.credentialType,
      sshKeyType: choice.sshKeyType,
      changeOnTarget: choice.changeOnTarget,
      ...(choice.newSecret === undefined ? { generate: true } : { newSecret: choice.newSecret }),
      ...(acknowledge ? { acknowledgeLossOfSync: true } : {}),
    });
  }

  function submit(choice: ResetChoice): void {
    if (!choice.changeOnTarget && account.status === 'InSync') {
      setPending(choice);
      setConfirming(true);
      return;
    }
    send(choice, false);
  }

  const hasCredentials = (credentials.data?.length ?? 0) > 0;
  const footer = job ? (
    <Button variant="primary" onClick={onClose}>
      {t('common.close')}
    </Button>
  ) : (
    <>
      <Button onClick={onClose}>{t('common.cancel')}</Button>
      {hasCredentials && (
        <>
          <Button type="submit" form={RESET_FORM_ID} name="mode" value="typed" pending={reset.isPending}>
            {t('reset.save')}
          </Button>
          <Button type="submit" form={RESET_FORM_ID} name="mode" value="generate" variant="primary" pending={reset.isPending}>
            {t('reset.generateAndSave')}
          </Button>
        </>
      )}
    </>
  );

  return (
    <Dialog
      title={t('reset.title', { account: account.username })}
      description={t('reset.description', { target: account.target.name })}
      onClose={onClose}
      footer={footer}
    >
      {job ? (
        <ResetJobProgress jobId={job.id} account={account} />
      ) : credentials.isPending ? (
        <Spinner />
      ) : credentials.isError ? (
        <ErrorState error={credentials.error} onRetry={() => void credentials.refetch()} />
      ) : !hasCredentials ? (
        <div className="dialog__prose">
          <p>{t('reset.noCredentials')}</p>
          {onAddCredential && <Button onClick={onAddCredential}>{t('credentials.add.open')}</Button>}
        </div>
      ) : (
        <>
          <ResetForm account={account} credentials={credentials.data} onSubmit={submit} />
          {reset.isError &&
            (approvalRequired(reset.error) ? (
              <ApprovalRequestForm account={account} required={approvalRequired(reset.error)!} />
            ) : (
              <FormAlert error={reset.error} message={resetErrorMessage(reset.error, pending)} />
            ))}
        </>
      )}
      {confirming && pending && (
        <LoseInSyncConfirm
          warning={t('reset.loseInSyncWarning', { account: account.username })}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            send(pending, true);
          }}
        />
      )}
    </Dialog>
  );
}
