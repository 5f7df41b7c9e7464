import type { ImportRow } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { DataTable, type Column } from '@/components/ui/data-table';
import { t } from '@/i18n';
import { useImport } from '../api/get-import';

const columns: Column<ImportRow>[] = [
  { id: 'row', header: t('imports.rows.row'), cell: (r) => r.row, width: '5rem', align: 'end' },
  { id: 'target', header: t('imports.rows.target'), cell: (r) => r.target },
  { id: 'account', header: t('imports.rows.account'), cell: (r) => r.account },
  { id: 'groupPath', header: t('imports.rows.groupPath'), cell: (r) => r.groupPath },
  { id: 'outcome', header: t('imports.rows.outcome'), cell: (r) => t(`imports.outcome.${r.outcome}`) },
  { id: 'why', header: t('imports.rows.why'), cell: (r) => r.message ?? '' },
];

/** The rows of an import, 50 at a time, with what each does or did and why. */
export function ImportRowsTable({ importId, label }: { importId: string; label: string }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useImport(importId, cursor);
  const rows = page.data?.rows;
  return (
    <div>
      <DataTable
        label={label}
        columns={columns}
        rows={rows?.items}
        getRowId={(r) => String(r.row)}
        status={page.status}
        empty={t('imports.rows.empty')}
        refreshing={page.isFetching && !page.isPending}
      />
      <div className="dialog__inline-footer">
        {cursors.length > 0 && <Button onClick={() => setCursors((c) => c.slice(0, -1))}>{t('imports.rows.previous')}</Button>}
        {rows?.nextCursor && <Button onClick={() => setCursors((c) => [...c, rows.nextCursor!])}>{t('imports.rows.next')}</Button>}
      </div>
    </div>
  );
}
