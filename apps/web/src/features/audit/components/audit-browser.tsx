import type { AuditEvent, AuditOutcome } from '@passman/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { Pager } from '@/components/ui/pager';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { Toolbar } from '@/components/ui/toolbar';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useAuditEvents } from '../api/get-audit-events';
import type { AuditSearch } from '../audit-search';
import { AUDIT_OUTCOMES, outcomeTone } from './audit-labels';
import { VerifyChain } from './verify-chain';

function auditColumns(): Column<AuditEvent>[] {
  return [
    { id: 'seq', header: t('audit.col.seq'), width: '7%', align: 'end', cell: (e) => e.seq },
    { id: 'at', header: t('audit.col.at'), width: '15%', cell: (e) => formatDateTime(e.at) },
    { id: 'actor', header: t('audit.col.actor'), width: '11%', cell: (e) => e.actorName },
    { id: 'action', header: t('audit.col.action'), width: '17%', cell: (e) => <span className="mono">{e.action}</span> },
    {
      id: 'object',
      header: t('audit.col.object'),
      width: '20%',
      cell: (e) => <span className="mono" title={e.objectId ?? undefined}>{`${e.objectType}${e.objectId ? ` ${e.objectId.slice(0, 8)}…` : ''}`}</span>,
    },
    {
      id: 'outcome',
      header: t('audit.col.outcome'),
      width: '10%',
      cell: (e) => <Badge tone={outcomeTone[e.outcome]}>{t(`audit.outcome.${e.outcome}`)}</Badge>,
    },
    {
      id: 'details',
      header: t('audit.col.details'),
      width: '20%',
      cell: (e) => (
        <span className="mono muted" title={JSON.stringify(e.details)}>
          {JSON.stringify(e.details)}
        </span>
      ),
    },
  ];
}

/** The Audit page: filter the trail (action, object type, outcome), page through it, verify the chain. */
export function AuditBrowser() {
  const [search, setSearch] = useUrlSearch<AuditSearch>();
  const outcome = search.outcome ?? '';
  const pageSize = search.size ?? 50;
  const filters = { action: search.action ?? '', objectType: search.objectType ?? '' };
  const [action, setAction] = useState(filters.action);
  const [objectType, setObjectType] = useState(filters.objectType);
  const settledAction = useDebouncedValue(action.trim(), 300);
  const settledObjectType = useDebouncedValue(objectType.trim(), 300);
  useEffect(() => {
    if (settledAction !== filters.action || settledObjectType !== filters.objectType) {
      setSearch({ action: settledAction || undefined, objectType: settledObjectType || undefined });
    }
    // Only a settled edit of a box updates the address.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledAction, settledObjectType]);
  const pages = useUrlCursorPages(search, setSearch);
  const query = useAuditEvents({
    action: filters.action || undefined,
    objectType: filters.objectType || undefined,
    outcome: outcome || undefined,
    limit: pageSize,
    cursor: pages.cursor,
  });
  const columns = useMemo(() => auditColumns(), []);
  const rows = query.data?.items;

  return (
    <div className="browser">
      <Toolbar label={t('audit.filter.label')} end={<VerifyChain />}>
        <TextField
          className="filter"
          label={t('audit.filter.action')}
          placeholder={t('audit.filter.actionPlaceholder')}
          value={action}
          onChange={(e) => setAction(e.target.value)}
        />
        <TextField
          className="filter"
          label={t('audit.filter.objectType')}
          placeholder={t('audit.filter.objectTypePlaceholder')}
          value={objectType}
          onChange={(e) => setObjectType(e.target.value)}
        />
        <SelectField
          className="filter"
          label={t('audit.filter.outcome')}
          value={outcome}
          onChange={(e) => setSearch({ outcome: (e.target.value as AuditOutcome) || undefined })}
          options={[{ value: '', label: t('audit.filter.anyOutcome') }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))]}
        />
      </Toolbar>
      <DataTable
        label={t('audit.tableLabel')}
        columns={columns}
        rows={rows}
        getRowId={(e) => e.seq}
        status={query.status}
        refreshing={query.isPlaceholderData}
        minWidth="1100px"
        empty={<EmptyState heading={t('audit.none')} />}
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
