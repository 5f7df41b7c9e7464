import { DashboardActivity } from '@/features/dashboard/components/dashboard-activity';
import { DashboardAlertsPanel } from '@/features/dashboard/components/dashboard-alerts-panel';
import { DashboardCounts } from '@/features/dashboard/components/dashboard-counts';
import { QuickSaveForm } from '@/features/dashboard/components/quick-save-form';
import { useCan } from '@/features/auth/use-permission';
import { useFolders } from '@/features/folders/api/get-folders';
import { folderChoices } from '@/features/folders/folder-tree';
import { JobProgress } from '@/features/jobs/components/job-progress';
import { t } from '@/i18n';
import { Page } from './page';

/** Quick Password Saving offers the folders the user sees (a new target there also needs manage: the server says so). */
function QuickSave() {
  const folders = useFolders();
  if (!folders.data) return null;
  const choices = folderChoices(folders.data.items, { right: 'view' });
  if (choices.length === 0) return null;
  const preferred = choices.some((c) => c.value === folders.data.rootId) ? folders.data.rootId : choices[0]!.value;
  return <QuickSaveForm folders={choices} defaultFolderId={preferred} renderJob={(saved) => <JobProgress key={saved.job.id} jobId={saved.job.id} />} />;
}

/** The console's home: the counts that lead to the filtered lists, alerts, Quick Password Saving and the last day's activity. */
export function DashboardRoute() {
  const can = useCan();
  return (
    <Page heading={t('nav.dashboard')}>
      <div className="dashboard">
        <DashboardCounts />
        <DashboardAlertsPanel />
        {can('credentials.update') && <QuickSave />}
        <DashboardActivity />
      </div>
    </Page>
  );
}
