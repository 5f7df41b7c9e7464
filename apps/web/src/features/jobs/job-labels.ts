import type { Job, JobState } from '@passman/contracts';
import type { BadgeTone } from '@/components/ui/badge';
import { hasMessage, t } from '@/i18n';

export { ACCOUNT_JOB_KINDS as JOB_KINDS, JOB_STATES } from '@passman/contracts/limits';

export const jobStateTone: Record<JobState, BadgeTone> = {
  queued: 'neutral',
  running: 'neutral',
  succeeded: 'success',
  failed: 'danger',
  unverified: 'warning',
};

/** A timeline step (`connect`, `verify-new` …) in words; its code when the catalogue lacks it. */
export function stepLabel(step: string): string {
  const key = `jobs.step.${step}`;
  return hasMessage(key) ? t(key) : step;
}

/**
 * Why a job failed, in words. The API's own message is English server text: it is shown only
 * for codes the catalogue does not know, so nothing is left unexplained.
 */
export function jobErrorText(job: Pick<Job, 'errorCode' | 'errorMessage'>): string {
  const key = `reason.${job.errorCode ?? ''}`;
  if (job.errorCode && hasMessage(key)) return t(key);
  return job.errorMessage ?? job.errorCode ?? t('errors.generic');
}
