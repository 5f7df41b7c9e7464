import type { Job } from '@passman/contracts';
import { OUTCOME_UNKNOWN } from '@passman/contracts/job-rules';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { t } from '@/i18n';
import { reasonText } from '@/lib/reason-text';
import { jobErrorText } from '../job-labels';

function sshKeyTypeOf(result: Job['results'][number]): string {
  return result.type === 'SSH_KEY' && result.sshKeyType ? t('credentials.sshKeyOfType', { keyType: result.sshKeyType }) : t(`credentials.type.${result.type}`);
}

/** Per credential: true (it logs in) or false, and why — the "credentials status details". */
function CheckResults({ job }: { job: Job }) {
  if (job.results.length === 0) return null;
  return (
    <ul className="check-results" aria-label={t('jobs.checkResults')}>
      {job.results.map((r) => (
        <li key={r.credentialId}>
          <span>{sshKeyTypeOf(r)}</span>
          <Badge tone={r.ok ? 'success' : 'danger'}>{r.ok ? t('credentials.check.true') : t('credentials.check.false')}</Badge>
          {!r.ok && r.code && <span className="muted">{reasonText(r.code)}</span>}
        </li>
      ))}
    </ul>
  );
}

function successMessage(job: Job): string {
  const names = { account: job.account.username, target: job.account.targetName };
  if (job.kind === 'CHECK') {
    return job.results.every((r) => r.ok) ? t('jobs.outcome.checkInSync', names) : t('jobs.outcome.checkNotInSync', names);
  }
  if (job.kind === 'RESET') {
    return job.params.changeOnTarget === false ? t('jobs.outcome.resetVaultOnly', names) : t('jobs.outcome.resetOnTarget', names);
  }
  return t('jobs.outcome.done');
}

/** The end of a job in words: what now holds, or what went wrong and what to do about it. */
export function JobOutcome({ job }: { job: Job }) {
  if (job.state === 'succeeded') {
    const allOk = job.kind !== 'CHECK' || job.results.every((r) => r.ok);
    return (
      <div className="job-outcome">
        <Alert tone={allOk ? 'success' : 'warning'}>{successMessage(job)}</Alert>
        <CheckResults job={job} />
      </div>
    );
  }
  if (job.state === 'unverified') {
    const key = job.errorCode === OUTCOME_UNKNOWN ? 'jobs.outcome.outcomeUnknown' : 'jobs.outcome.unverified';
    return <Alert tone="warning">{t(key, { account: job.account.username, target: job.account.targetName })}</Alert>;
  }
  if (job.state === 'failed') {
    return (
      <div className="job-outcome">
        <Alert meta={[job.errorCode && t('jobs.errorCode', { code: job.errorCode }), job.errorMessage].filter(Boolean).join(' · ') || undefined}>
          <strong>{job.kind === 'RESET' ? t('jobs.outcome.resetFailed') : t('jobs.outcome.failed')}</strong> {jobErrorText(job)}
        </Alert>
        {job.errorCode === 'SSH_DIR_OWNERSHIP' && <Alert tone="info">{t('reset.sshDirNote')}</Alert>}
        <CheckResults job={job} />
      </div>
    );
  }
  return null;
}
