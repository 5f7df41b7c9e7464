import type { ReactNode } from 'react';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';

export interface Column<Row> {
  id: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** A CSS width (`12rem`, `20%`); columns are fixed so loading data never moves them. */
  width?: string;
  align?: 'start' | 'end';
  /** Visually hide the header text (still read out), e.g. for an Actions column. */
  hideHeader?: boolean;
}

export interface DataTableProps<Row> {
  label: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[] | undefined;
  getRowId: (row: Row) => string;
  status: 'pending' | 'error' | 'success';
  /** Shown in the body when the list is empty. */
  empty: ReactNode;
  /** Shown in the body when loading failed. */
  error?: ReactNode;
  /** Rows drawn as placeholders while loading. */
  skeletonRows?: number;
}

export function DataTable<Row>({
  label,
  columns,
  rows,
  getRowId,
  status,
  empty,
  error,
  skeletonRows = 5,
}: DataTableProps<Row>) {
  const span = columns.length;
  let body: ReactNode;
  if (status === 'pending') {
    body = Array.from({ length: skeletonRows }, (_, index) => (
      <tr key={index} className="data-table__skeleton" aria-hidden="true">
        {columns.map((column) => (
          <td key={column.id}>
            <span className="skeleton" />
          </td>
        ))}
      </tr>
    ));
  } else if (status === 'error') {
    body = (
      <tr>
        <td colSpan={span} className="data-table__message">
          {error}
        </td>
      </tr>
    );
  } else if (!rows || rows.length === 0) {
    body = (
      <tr>
        <td colSpan={span} className="data-table__message">
          {empty}
        </td>
      </tr>
    );
  } else {
    body = rows.map((row) => (
      <tr key={getRowId(row)}>
        {columns.map((column) => (
          <td key={column.id} className={cx(column.align === 'end' && 'is-end')}>
            {column.cell(row)}
          </td>
        ))}
      </tr>
    ));
  }

  return (
    <div className="data-table">
      <table aria-label={label} aria-busy={status === 'pending' || undefined}>
        <colgroup>
          {columns.map((column) => (
            <col key={column.id} style={column.width ? { width: column.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.id} scope="col" className={cx(column.align === 'end' && 'is-end')}>
                {column.hideHeader ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{body}</tbody>
      </table>
      {status === 'pending' && (
        <p role="status" className="sr-only">
          {t('table.loading')}
        </p>
      )}
    </div>
  );
}

/** The body of an empty table: a heading and a sentence, centred. */
export function EmptyState({ heading, children }: { heading: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state__heading">{heading}</p>
      {children && <p className="empty-state__body">{children}</p>}
    </div>
  );
}
