import type { Job } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { DescriptionList } from '@/components/ui/description-list';
import { Dialog } from '@/components/ui/dialog';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { JobProgress } from './job-progress';

/** One job: who asked what and when, its steps and outcome (live while it runs). */
export function JobDetailsDialog({ job, onClose }: { job: Job; onClose: () => void }) {
  return (
    <Dialog
      title={t('jobs.detailsTitle', { kind: t(`jobs.kind.${job.kind}`), account: job.account.username })}
      description={t('reset.description', { target: job.account.targetName })}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <DescriptionList
        items={[
          { label: t('jobs.col.requestedBy'), value: job.requestedBy?.username ?? t('jobs.system') },
          { label: t('jobs.col.created'), value: formatDateTime(job.createdAt) },
          { label: t('jobs.col.finished'), value: formatDateTime(job.finishedAt) },
          { label: t('jobs.attempts'), value: job.attempts },
        ]}
      />
      <JobProgress jobId={job.id} />
    </Dialog>
  );
}
