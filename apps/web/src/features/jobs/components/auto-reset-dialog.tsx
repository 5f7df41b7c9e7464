import type { Account } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/description-list';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { Spinner } from '@/components/ui/spinner';
import { useAccount } from '@/features/accounts/api/get-account';
import { useCredentials } from '@/features/credentials/api/get-credentials';
import { credentialLabel } from '@/features/credentials/labels';
import { t } from '@/i18n';
import { useResetCredentials } from '../api/reset-credentials';
import { autoResetPlan } from '../auto-reset-plan';
import { resetErrorMessage } from '../reset-error-message';
import { ResetJobProgress } from './reset-job-progress';

/**
 * Auto-reset, from the Account details window: asks once, then runs Reset Credentials on the
 * password (or the only credential) with Generate and Save and Change on target, followed live.
 * `onOpenReset` leads to Reset Credentials when the operator has to choose the credential.
 */
export function AutoResetDialog({ account: initial, onClose, onOpenReset }: { account: Account; onClose: () => void; onOpenReset?: () => void }) {
  const { data: account = initial } = useAccount(initial.id, initial);
  const credentials = useCredentials(account.id);
  const reset = useResetCredentials();
  const job = reset.data;
  const plan = credentials.data ? autoResetPlan(credentials.data) : undefined;
  const credential = plan?.credential;
  const names = { account: account.username, target: account.target.name };

  function start(): void {
    if (!credential) return;
    reset.mutate({
      accountId: account.id,
      credentialId: credential.id,
      credentialType: credential.type,
      sshKeyType: credential.type === 'SSH_KEY' ? (credential.sshKeyType ?? undefined) : undefined,
      generate: true,
      changeOnTarget: true,
    });
  }

  const footer = job ? (
    <Button variant="primary" onClick={onClose}>
      {t('common.close')}
    </Button>
  ) : credential ? (
    <>
      <Button data-autofocus onClick={onClose}>
        {t('common.cancel')}
      </Button>
      <Button variant="primary" pending={reset.isPending} onClick={start}>
        {t('autoReset.start')}
      </Button>
    </>
  ) : (
    <>
      {plan?.refusal && plan.refusal !== 'noCredential' && onOpenReset && <Button onClick={onOpenReset}>{t('autoReset.openReset')}</Button>}
      <Button variant="primary" onClick={onClose}>
        {t('common.close')}
      </Button>
    </>
  );

  return (
    <Dialog title={t('autoReset.title', names)} description={t('reset.description', names)} onClose={onClose} footer={footer}>
      {job ? (
        <ResetJobProgress jobId={job.id} account={account} />
      ) : credentials.isPending ? (
        <Spinner />
      ) : credentials.isError ? (
        <ErrorState error={credentials.error} onRetry={() => void credentials.refetch()} />
      ) : credential ? (
        <div className="dialog__prose">
          <p>{t('autoReset.intro', names)}</p>
          <DescriptionList
            items={[
              { label: t('autoReset.credential'), value: credentialLabel(credential) },
              { label: t('autoReset.newSecret'), value: t('autoReset.generated') },
              { label: t('reset.changeOnTarget'), value: t('common.yes') },
            ]}
          />
          <p>{t('autoReset.outcome')}</p>
          {reset.isError && (
            <FormAlert error={reset.error} message={resetErrorMessage(reset.error, { credentialType: credential.type, changeOnTarget: true })} />
          )}
        </div>
      ) : (
        plan?.refusal && <p>{t(`autoReset.refused.${plan.refusal}`, names)}</p>
      )}
    </Dialog>
  );
}
