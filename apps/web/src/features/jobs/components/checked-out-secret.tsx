import type { Account, CheckoutResponse } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { DescriptionList } from '@/components/ui/description-list';
import { FormAlert } from '@/components/ui/form-alert';
import { credentialLabel } from '@/features/credentials/labels';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useCheckinCredential } from '../api/checkin-credential';
import { JobProgress } from './job-progress';
import { SecretReveal } from './secret-reveal';

/** What CheckOut returned: the secret (masked), the public key of an SSH key, and CheckIn. */
export function CheckedOutSecret({ account, checkout, onClose }: { account: Account; checkout: CheckoutResponse; onClose: () => void }) {
  const checkin = useCheckinCredential();
  const isKey = checkout.type === 'SSH_KEY';
  const resetJob = checkin.data?.resetJob;
  return (
    <div className="form">
      <DescriptionList
        items={[
          {
            label: t('checkout.credential'),
            value: `${credentialLabel({ type: checkout.type, sshKeyType: checkout.sshKeyType })} · ${t('credentials.versionN', { n: checkout.version })}`,
          },
          { label: t('checkout.checkedOutAt'), value: formatDateTime(checkout.checkedOutAt) },
          ...(checkout.expiresAt ? [{ label: t('checkout.expiresAt'), value: formatDateTime(checkout.expiresAt) }] : []),
          ...(checkout.fingerprint ? [{ label: t('checkout.fingerprint'), value: <span className="mono">{checkout.fingerprint}</span> }] : []),
        ]}
      />
      <SecretReveal label={isKey ? t('checkout.privateKey') : t(`checkout.secret.${checkout.type}`)} secret={checkout.secret} multiline={isKey} />
      {checkout.publicKey && (
        <div className="public-key">
          <p className="field__label">{t('checkout.publicKey')}</p>
          <pre className="public-key__value" data-testid="checked-out-public-key">
            {checkout.publicKey}
          </pre>
          <CopyButton text={checkout.publicKey} label={t('checkout.copyPublicKey')} />
        </div>
      )}
      {checkin.isError && <FormAlert error={checkin.error} />}
      {checkin.isSuccess && <p role="status">{resetJob ? t('checkout.checkedInReset') : t('checkout.checkedIn', { account: account.username })}</p>}
      {resetJob && <JobProgress jobId={resetJob.id} />}
      <div className="dialog__inline-footer">
        {!checkin.isSuccess && (
          <Button onClick={() => checkin.mutate(account.id)} pending={checkin.isPending}>
            {t('checkout.checkin')}
          </Button>
        )}
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
    </div>
  );
}
