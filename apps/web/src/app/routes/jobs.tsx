import { JobsTable } from '@/features/jobs/components/jobs-table';
import { RecentBatches } from '@/features/jobs/components/recent-batches';
import { t } from '@/i18n';
import { Page } from './page';

export function JobsRoute() {
  return (
    <Page heading={t('jobs.heading')}>
      <RecentBatches />
      <JobsTable />
    </Page>
  );
}
