import type { Dashboard } from '@passman/contracts';
import { Link } from '@tanstack/react-router';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { paths } from '@/config/paths';
import { t } from '@/i18n';
import { useDashboard } from '../api/get-dashboard';

interface Tile {
  id: string;
  label: string;
  count: number;
  to: string;
  search: Record<string, string>;
  /** A count that wants attention when it is not zero. */
  alarming?: boolean;
}

/** Each count and the filtered list it is the length of (the list takes the same filter in its address). */
function tiles(d: Dashboard): Tile[] {
  return [
    { id: 'inSync', label: t('dashboard.count.inSync'), count: d.accounts.inSync, to: paths.accounts, search: { status: 'InSync' } },
    {
      id: 'notInSync',
      label: t('dashboard.count.notInSync'),
      count: d.accounts.notInSync,
      to: paths.accounts,
      search: { status: 'NotInSync' },
      alarming: true,
    },
    { id: 'unknown', label: t('dashboard.count.unknown'), count: d.accounts.unknown, to: paths.accounts, search: { status: 'Unknown' } },
    {
      id: 'noncompliant',
      label: t('dashboard.count.noncompliant'),
      count: d.accounts.noncompliant,
      to: paths.accounts,
      search: { compliance: 'Noncompliant' },
      alarming: true,
    },
    { id: 'checkedOut', label: t('dashboard.count.checkedOut'), count: d.accounts.checkedOut, to: paths.accounts, search: { only: 'checkedOut' } },
    {
      id: 'rotationOverdue',
      label: t('dashboard.count.rotationOverdue'),
      count: d.accounts.rotationOverdue,
      to: paths.accounts,
      search: { only: 'rotationOverdue' },
      alarming: true,
    },
    {
      id: 'hostKeysPending',
      label: t('dashboard.count.hostKeysPending'),
      count: d.targets.hostKeysPending,
      to: paths.targets,
      search: { hostKey: 'pending' },
      alarming: true,
    },
    {
      id: 'failedJobs',
      label: t('dashboard.count.failedJobs'),
      count: d.jobs.failed,
      to: paths.jobs,
      search: { state: 'failed', since: d.since },
      alarming: true,
    },
    {
      id: 'unverifiedJobs',
      label: t('dashboard.count.unverifiedJobs'),
      count: d.jobs.unverified,
      to: paths.jobs,
      search: { state: 'unverified' },
      alarming: true,
    },
  ];
}

/** The dashboard's counts, each a link to the list it counts. */
export function DashboardCounts() {
  const query = useDashboard();
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <section className="dashboard-section" aria-labelledby="dashboard-counts-heading">
      <h2 id="dashboard-counts-heading" className="section-title">
        {t('dashboard.counts', { total: query.data.accounts.total })}
      </h2>
      <ul className="dashboard-tiles">
        {tiles(query.data).map((tile) => (
          <li key={tile.id}>
            <Link
              to={tile.to}
              search={tile.search}
              className={tile.alarming && tile.count > 0 ? 'dashboard-tile dashboard-tile--alarm' : 'dashboard-tile'}
              data-testid={`dashboard-${tile.id}`}
            >
              <span className="dashboard-tile__count">{tile.count}</span>
              <span className="dashboard-tile__label">{tile.label}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
