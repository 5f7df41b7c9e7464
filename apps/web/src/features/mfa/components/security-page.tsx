import { useId } from 'react';
import { Alert } from '@/components/ui/alert';
import { ErrorState } from '@/components/ui/error-state';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useMfaStatus } from '../api/mfa';
import { AddFactor } from './add-factor';
import { FactorList } from './factor-list';
import { RecoveryCodesSection } from './recovery-codes';

/** The second factors and recovery codes of the user's Security page. */
export function SecurityPage() {
  const headingId = useId();
  const status = useMfaStatus();
  const policy = status.data?.policy;
  return (
    <div className="security-page">
      {policy?.enrolmentRequired && <Alert tone="warning">{t('mfa.security.requiredNow')}</Alert>}
      {policy?.required && !policy.enrolmentRequired && policy.deadline && (
        <Alert tone="info">{t('mfa.security.required', { deadline: formatDateTime(policy.deadline) })}</Alert>
      )}
      <section className="history-section" aria-labelledby={headingId}>
        <h3 id={headingId} className="section-title">
          {t('mfa.security.factors')}
        </h3>
        <p>{t('mfa.security.factorsIntro')}</p>
        {status.isError ? (
          <ErrorState error={status.error} onRetry={() => void status.refetch()} retrying={status.isFetching} />
        ) : (
          <FactorList factors={status.data?.factors} status={status.status} />
        )}
        <AddFactor />
      </section>
      {status.data && <RecoveryCodesSection left={status.data.recoveryCodesLeft} hasFactor={status.data.factors.length > 0} />}
    </div>
  );
}
