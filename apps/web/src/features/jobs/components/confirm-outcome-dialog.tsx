import type { Account, Job, TargetHolds } from '@passman/contracts';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { useCredentialVersions } from '@/features/credentials/api/get-credential-versions';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { useCheckAccount } from '../api/check-account';
import { useCheckinCredential } from '../api/checkin-credential';
import { useCheckoutCredential } from '../api/checkout-credential';
import { useConfirmResetOutcome } from '../api/confirm-reset-outcome';
import { useUnconfirmedReset } from '../api/get-unconfirmed-reset';
import { JobProgress } from './job-progress';
import { SecretReveal } from './secret-reveal';

/** The API's reason for a 409, in the dialog's words. */
function conflictMessage(error: unknown): string | undefined {
  if (!isApiError(error) || error.status !== 409) return undefined;
  const reason = error.extensions.reason;
  return reason === 'NOT_AWAITING_CONFIRMATION' || reason === 'ACCOUNT_BUSY' ? t(`outcome.conflict.${reason}`) : undefined;
}

/** CheckOut of either candidate (audited like any checkout), one at a time, shown until CheckIn. */
function Reveal({ account, job, versions }: { account: Account; job: Job; versions: Record<TargetHolds, number | undefined> }) {
  const checkout = useCheckoutCredential();
  const checkin = useCheckinCredential();
  const revealed = checkout.data;
  if (!revealed) {
    return (
      <div className="details-actions" role="group" aria-label={t('outcome.revealGroup')}>
        {(['NEW', 'PREVIOUS'] as const).map((which) => (
          <Button
            key={which}
            size="sm"
            pending={checkout.isPending && (checkout.variables?.pending === true) === (which === 'NEW')}
            disabled={checkout.isPending}
            onClick={() => checkout.mutate({ accountId: account.id, credentialId: job.credentialId!, ...(which === 'NEW' ? { pending: true as const } : {}) })}
          >
            {t(which === 'NEW' ? 'outcome.revealNew' : 'outcome.revealPrevious', { version: versions[which] ?? '—' })}
          </Button>
        ))}
        {checkout.isError && <FormAlert error={checkout.error} message={conflictMessage(checkout.error)} />}
      </div>
    );
  }
  return (
    <div className="form">
      <SecretReveal label={t('outcome.revealed', { version: revealed.version })} secret={revealed.secret} multiline={revealed.type === 'SSH_KEY'} />
      <div className="dialog__inline-footer">
        <Button size="sm" pending={checkin.isPending} onClick={() => checkin.mutate(account.id, { onSuccess: () => checkout.reset() })}>
          {t('checkout.checkin')}
        </Button>
      </div>
      {checkin.isError && <FormAlert error={checkin.error} />}
    </div>
  );
}

/**
 * A reset whose outcome PassMan could not find out: both secrets are kept and other resets wait.
 * The person reveals either (CheckOut, audited), tries it on the target, and says which one the
 * target holds; PassMan makes that one current, settles the reset, and a Check proves it.
 */
export function ConfirmOutcomeDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const unconfirmed = useUnconfirmedReset(account.id);
  const job = unconfirmed.job;
  const versions = useCredentialVersions(job?.credentialId ?? '');
  const confirm = useConfirmResetOutcome();
  const check = useCheckAccount();
  const [holds, setHolds] = useState<TargetHolds | null>(null);
  const [reason, setReason] = useState('');
  const canConfirm = account.myRights.includes('reset');
  const canReveal = account.myRights.includes('checkout');
  const pending = versions.data?.find((v) => v.state === 'PENDING');
  const current = versions.data?.find((v) => v.state === 'CURRENT');
  const done = confirm.data;

  const submit = () => {
    if (job && holds) confirm.mutate({ jobId: job.id, targetHolds: holds, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  };
  const choice = (value: TargetHolds, version: number | undefined) => (
    <label className="choice">
      <input type="radio" name="outcome-holds" checked={holds === value} disabled={!canConfirm} onChange={() => setHolds(value)} />
      <span>
        <span className="choice__label">{t(value === 'NEW' ? 'outcome.holdsNew' : 'outcome.holdsPrevious', { version: version ?? '—' })}</span>
        <span className="choice__hint">{t(value === 'NEW' ? 'outcome.holdsNewHint' : 'outcome.holdsPreviousHint')}</span>
      </span>
    </label>
  );

  return (
    <Dialog
      title={t('outcome.title', { account: account.username })}
      description={t('reset.description', { target: account.target.name })}
      onClose={onClose}
      footer={
        done || !job || !canConfirm ? (
          <Button variant="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : (
          <>
            <Button data-autofocus onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button variant="primary" pending={confirm.isPending} disabled={!holds} onClick={submit}>
              {t('outcome.confirm')}
            </Button>
          </>
        )
      }
    >
      {done ? (
        <div className="dialog__prose">
          <Alert tone="success">{t(done.targetHolds === 'NEW' ? 'outcome.doneNew' : 'outcome.donePrevious', { version: done.currentVersion ?? '—' })}</Alert>
          {done.job.errorCode === 'OLD_KEY_NOT_REMOVED' && <Alert tone="warning">{t('outcome.oldKeyLeft')}</Alert>}
          {check.data ? (
            <JobProgress jobId={check.data.id} />
          ) : (
            account.myRights.includes('check') && (
              <Button onClick={() => check.mutate(account.id)} pending={check.isPending}>
                {t('outcome.checkNow')}
              </Button>
            )
          )}
          {check.isError && <FormAlert error={check.error} />}
        </div>
      ) : unconfirmed.isPending || (job && versions.isPending) ? (
        <Spinner />
      ) : !job ? (
        <Alert tone="info">{t('outcome.nothing')}</Alert>
      ) : (
        <div className="dialog__prose">
          <Alert tone="warning">{t('outcome.intro', { target: account.target.name })}</Alert>
          <fieldset className="choice-group">
            <legend>{t('outcome.question')}</legend>
            {choice('NEW', pending?.version)}
            {choice('PREVIOUS', current?.version)}
          </fieldset>
          {canReveal && <Reveal account={account} job={job} versions={{ NEW: pending?.version, PREVIOUS: current?.version }} />}
          {canConfirm ? (
            <TextField
              label={t('checkout.reason')}
              hint={t('checkout.reasonHint')}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          ) : (
            <p className="muted">{t('outcome.needsReset')}</p>
          )}
          {confirm.isError && <FormAlert error={confirm.error} message={conflictMessage(confirm.error)} />}
        </div>
      )}
    </Dialog>
  );
}
