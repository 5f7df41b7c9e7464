import type { Job } from '@passman/contracts';
import { hasJobSettled } from '@passman/contracts/job-rules';
import { Badge } from '@/components/ui/badge';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { jobStateTone } from '../job-labels';

/** A job's state; the spinner turns as long as the job is not settled (an unverified job still being recovered turns too). */
export function JobStateBadge({ job }: { job: Pick<Job, 'state' | 'errorCode'> }) {
  const { state } = job;
  return (
    <Badge tone={jobStateTone[state]}>
      {!hasJobSettled(job) && <Spinner size="sm" />}
      {t(`jobs.state.${state}`)}
    </Badge>
  );
}
