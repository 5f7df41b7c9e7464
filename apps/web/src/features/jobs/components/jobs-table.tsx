import type { AccountJobKind, Job, JobState } from '@passman/contracts';
import { useMemo, useState } from 'react';
import { Button } from '@/components/ui/button';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { Pager } from '@/components/ui/pager';
import { SelectField } from '@/components/ui/select-field';
import { Toolbar } from '@/components/ui/toolbar';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { useJobs } from '../api/get-jobs';
import { JOB_KINDS, JOB_STATES, jobErrorText } from '../job-labels';
import type { JobsSearch } from '../jobs-search';
import { JobDetailsDialog } from './job-details-dialog';
import { JobStateBadge } from './job-state-badge';

function jobColumns(open: (job: Job) => void): Column<Job>[] {
  return [
    { id: 'kind', header: t('jobs.col.kind'), width: '14%', cell: (j) => t(`jobs.kind.${j.kind}`) },
    {
      id: 'account',
      header: t('jobs.col.account'),
      width: '24%',
      cell: (j) => t('accounts.accountOnTarget', { account: j.account.username, target: j.account.targetName }),
    },
    { id: 'state', header: t('jobs.col.state'), width: '13%', cell: (j) => <JobStateBadge job={j} /> },
    {
      id: 'error',
      header: t('jobs.col.error'),
      width: '16%',
      cell: (j) => (j.state === 'failed' ? <span title={jobErrorText(j)}>{jobErrorText(j)}</span> : ''),
    },
    { id: 'by', header: t('jobs.col.requestedBy'), width: '10%', cell: (j) => j.requestedBy?.username ?? t('jobs.system') },
    { id: 'created', header: t('jobs.col.created'), width: '15%', cell: (j) => formatDateTime(j.createdAt) },
    {
      id: 'open',
      header: t('jobs.col.details'),
      hideHeader: true,
      width: '9%',
      align: 'end',
      cell: (j) => (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => open(j)}
          aria-label={t('jobs.openDetails', { kind: t(`jobs.kind.${j.kind}`), account: j.account.username })}
        >
          {t('jobs.details')}
        </Button>
      ),
    },
  ];
}

/** Every job, newest first, filtered by state and kind; refreshes itself while some still run. */
export function JobsTable() {
  const [search, setSearch] = useUrlSearch<JobsSearch>();
  const state = search.state ?? '';
  const kind = search.kind ?? '';
  const pageSize = search.size ?? 50;
  const [opened, setOpened] = useState<Job | null>(null);
  const pages = useUrlCursorPages(search, setSearch);
  const since = search.since;
  const query = useJobs({ state: state || undefined, kind: kind || undefined, since, limit: pageSize, cursor: pages.cursor }, { live: true });
  const rows = query.data?.items;
  const columns = useMemo(() => jobColumns(setOpened), []);

  return (
    <div className="browser">
      <Toolbar label={t('jobs.filter.label')}>
        <SelectField
          className="filter"
          label={t('jobs.filter.state')}
          value={state}
          onChange={(e) => setSearch({ state: (e.target.value as JobState) || undefined })}
          options={[{ value: '', label: t('jobs.filter.anyState') }, ...JOB_STATES.map((s) => ({ value: s, label: t(`jobs.state.${s}`) }))]}
        />
        <SelectField
          className="filter"
          label={t('jobs.filter.kind')}
          value={kind}
          onChange={(e) => setSearch({ kind: (e.target.value as AccountJobKind) || undefined })}
          options={[{ value: '', label: t('jobs.filter.anyKind') }, ...JOB_KINDS.map((k) => ({ value: k, label: t(`jobs.kind.${k}`) }))]}
        />
        {since && (
          <Button size="sm" className="filter" aria-label={t('jobs.filter.clearSince')} onClick={() => setSearch({ since: undefined })}>
            {t('jobs.filter.since', { time: formatDateTime(since) })} ✕
          </Button>
        )}
      </Toolbar>
      <DataTable
        label={t('jobs.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(j) => j.id}
        status={query.status}
        refreshing={query.isPlaceholderData}
        empty={<EmptyState heading={t('jobs.empty.heading')}>{t('jobs.empty.body')}</EmptyState>}
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      <Pager
        pages={pages}
        nextCursor={query.data?.nextCursor}
        rowsOnPage={rows?.length ?? 0}
        pageSize={pageSize}
        onPageSizeChange={(size) => setSearch({ size: size === 50 ? undefined : size })}
      />
      {opened && <JobDetailsDialog job={opened} onClose={() => setOpened(null)} />}
    </div>
  );
}
