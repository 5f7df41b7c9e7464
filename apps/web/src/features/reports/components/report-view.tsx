import { ACTIVITY_KINDS, type ActivityKind, type ReportName } from '@passman/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { DataTable, EmptyState } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { Pager } from '@/components/ui/pager';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { Toolbar } from '@/components/ui/toolbar';
import { useFolders } from '@/features/folders/api/get-folders';
import { folderLabel } from '@/features/folders/folder-tree';
import { t } from '@/i18n';
import { errorMessage } from '@/lib/error-message';
import { useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useDownloadReport } from '../api/download-report';
import { useReport } from '../api/get-report';
import { reportFilters, type ReportsSearch } from '../reports-search';
import { BarChart } from './bar-chart';
import { reportColumns, reportRowId } from './report-columns';

/** The folder filter every report and export has: the folders the user sees, by path. */
export function FolderFilter({ value, onChange }: { value: string; onChange: (folderId: string) => void }) {
  const folders = useFolders();
  const options = (folders.data?.items ?? []).map((f) => ({ value: f.id, label: folderLabel(f) })).sort((a, b) => a.label.localeCompare(b.label));
  return (
    <SelectField
      className="filter"
      label={t('reports.filter.folder')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      options={[{ value: '', label: t('reports.filter.wholeVault') }, ...options]}
    />
  );
}

/** One report: its filters (in the address), its chart, its rows a page at a time, and its CSV. */
export function ReportView({ name }: { name: ReportName }) {
  const [search, setSearch] = useUrlSearch<ReportsSearch>();
  const pageSize = search.size ?? 50;
  const [q, setQ] = useState(search.q ?? '');
  const settledQ = useDebouncedValue(q.trim(), 300);
  useEffect(() => {
    if (settledQ !== (search.q ?? '')) setSearch({ q: settledQ || undefined });
    // Only a settled edit of the box updates the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledQ]);
  const pages = useUrlCursorPages(search, setSearch);
  const filters = reportFilters(search);
  const query = useReport(name, { ...filters, limit: pageSize, cursor: pages.cursor ?? null });
  const download = useDownloadReport();
  const columns = useMemo(() => reportColumns(name), [name]);
  const rows = query.data?.items;
  // The chart and total come with the first page: on a later page, the first page's query (cached, the same key) gives them.
  const first = useReport(name, { ...filters, limit: pageSize, cursor: null });
  const summary = first.data?.summary ?? null;
  const total = first.data?.total ?? null;

  return (
    <div className="browser">
      <Toolbar
        label={t('reports.filter.label')}
        end={
          <Button variant="primary" pending={download.isPending} onClick={() => download.mutate({ name, query: filters })}>
            {t('reports.downloadCsv')}
          </Button>
        }
      >
        <FolderFilter value={search.folder ?? ''} onChange={(folder) => setSearch({ folder: folder || undefined })} />
        <TextField className="filter filter--search" label={t('reports.filter.q')} value={q} onChange={(e) => setQ(e.target.value)} />
        {name === 'activity' ? (
          <>
            <SelectField
              className="filter"
              label={t('reports.filter.kind')}
              value={search.kind ?? ''}
              onChange={(e) => setSearch({ kind: (e.target.value as ActivityKind) || undefined })}
              options={[{ value: '', label: t('reports.filter.anyKind') }, ...ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`reports.kind.${k}`) }))]}
            />
            <TextField
              className="filter"
              type="date"
              label={t('reports.filter.since')}
              value={search.since ?? ''}
              onChange={(e) => setSearch({ since: e.target.value || undefined })}
            />
            <TextField
              className="filter"
              type="date"
              label={t('reports.filter.until')}
              value={search.until ?? ''}
              onChange={(e) => setSearch({ until: e.target.value || undefined })}
            />
          </>
        ) : null}
      </Toolbar>
      {download.isError ? <Alert>{errorMessage(download.error)}</Alert> : null}
      {summary ? (
        <div className="report-summary">
          <p className="report-summary__total" data-testid="report-total">
            {t('reports.total', { count: total ?? 0 })}
          </p>
          <BarChart title={t(`reports.chart.${name}`)} buckets={summary} />
        </div>
      ) : null}
      <DataTable
        label={t(`reports.name.${name}`)}
        columns={columns}
        rows={rows}
        getRowId={(row) => reportRowId(name, row)}
        status={query.status}
        refreshing={query.isPlaceholderData}
        minWidth="1000px"
        empty={<EmptyState heading={t('reports.none')} />}
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />}
      />
      <Pager
        pages={pages}
        nextCursor={query.data?.nextCursor}
        rowsOnPage={rows?.length ?? 0}
        pageSize={pageSize}
        loading={query.isFetching}
        onPageSizeChange={(size) => setSearch({ size: size === 50 ? undefined : size })}
      />
    </div>
  );
}
