import type { Job } from '@passman/contracts';
import type { ReactNode } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { isJobFinished, useJobProgress } from '../api/get-job';
import { JobOutcome } from './job-outcome';
import { JobStateBadge } from './job-state-badge';
import { JobTimeline } from './job-timeline';

/** A job followed live (SSE): its state, its steps as they happen, then the outcome in words. */
export function JobProgress({ jobId, afterFinish }: { jobId: string; afterFinish?: (job: Job) => ReactNode }) {
  const query = useJobProgress(jobId);
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const job = query.data;
  const finished = isJobFinished(job);
  return (
    <div className="job-progress" aria-busy={!finished}>
      <p className="job-progress__head" role="status">
        <span>{t(`jobs.kind.${job.kind}`)}</span>
        <JobStateBadge job={job} />
      </p>
      <JobTimeline job={job} />
      <div aria-live="polite" className="job-outcome">
        {finished && <JobOutcome job={job} />}
        {finished && afterFinish?.(job)}
      </div>
    </div>
  );
}
