import type { Job } from '@passman/contracts';
import { hasJobSettled } from '@passman/contracts/job-rules';
import { Icon } from '@/components/ui/icon';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';
import { stepLabel } from '../job-labels';

/** The change went through the target's managing account (sudo, or su as root): say so, it explains a reset of a stale credential. */
function viaManagingAccount(step: Job['steps'][number]): boolean {
  return step.step === 'apply' && step.status === 'done' && (step.detail?.via === 'sudo' || step.detail?.via === 'root');
}

/**
 * The steps of a job as they happen. A step is `started` then `done` or `failed`; only the
 * latest status of each step is shown, in the order the steps began.
 */
export function JobTimeline({ job }: { job: Job }) {
  const latest = new Map<string, Job['steps'][number]>();
  // `attempt` marks a worker picking the job up: bookkeeping, not a step of the work.
  for (const step of job.steps) if (step.step !== 'attempt') latest.set(step.step, step);
  const steps = [...latest.values()];
  const finished = hasJobSettled(job);
  if (steps.length === 0) {
    return <p className="muted">{job.state === 'queued' ? t('jobs.waiting') : t('jobs.starting')}</p>;
  }
  return (
    <ol className="timeline" aria-label={t('jobs.timeline')}>
      {steps.map((step) => (
        <li key={step.step} className={cx('timeline__step', `is-${step.status}`)}>
          <span className="timeline__mark" aria-hidden="true">
            {step.status === 'started' ? (
              finished ? null : (
                <Spinner size="sm" />
              )
            ) : step.status === 'failed' ? (
              <Icon name="close" size={14} />
            ) : step.status === 'info' ? (
              <Icon name="info" size={14} />
            ) : (
              <Icon name="check" size={14} />
            )}
          </span>
          <span>
            {stepLabel(step.step)}
            {viaManagingAccount(step) && ` ${t('jobs.viaManagingAccount')}`}
          </span>
          <span className="sr-only">{t(`jobs.stepStatus.${step.status}`)}</span>
        </li>
      ))}
    </ol>
  );
}
