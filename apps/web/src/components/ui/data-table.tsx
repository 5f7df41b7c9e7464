import type { ReactNode } from 'react';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';
import { Icon } from './icon';

export interface Column<Row> {
  id: string;
  header: string;
  cell: (row: Row) => ReactNode;
  /** A CSS width (`12rem`, `20%`); columns are fixed so loading data never moves them. */
  width?: string;
  align?: 'start' | 'end';
  /** Visually hide the header text (still read out), e.g. for an Actions column. */
  hideHeader?: boolean;
  /** The API sort key of this column; makes the header a sort button. */
  sortKey?: string;
}

/** `name` ascending, `-name` descending: the API's sort syntax. */
export interface SortState {
  sort: string;
  onSortChange: (sort: string) => void;
}

export interface SelectionState<Row> {
  selected: ReadonlySet<string>;
  onChange: (ids: string[], selected: boolean) => void;
  /** Accessible name of a row's checkbox, e.g. "Select deploy on web-01". */
  rowLabel: (row: Row) => string;
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
  sorting?: SortState;
  selection?: SelectionState<Row>;
  /** True while a new page or sort loads over the rows shown (they dim, nothing moves). */
  refreshing?: boolean;
  minWidth?: string;
}

function SortHeader({ column, sorting }: { column: Column<unknown>; sorting: SortState }) {
  const key = column.sortKey ?? '';
  const direction = sorting.sort === key ? 'ascending' : sorting.sort === `-${key}` ? 'descending' : undefined;
  return (
    <button type="button" className="th-sort" onClick={() => sorting.onSortChange(direction === 'ascending' ? `-${key}` : key)}>
      {column.header}
      <Icon name={direction === 'ascending' ? 'sort-asc' : direction === 'descending' ? 'sort-desc' : 'sort'} size={14} />
    </button>
  );
}

export function DataTable<Row>(props: DataTableProps<Row>) {
  const { label, columns, rows, getRowId, status, empty, error, skeletonRows = 5, sorting, selection, refreshing, minWidth } = props;
  const span = columns.length + (selection ? 1 : 0);
  const ids = rows?.map(getRowId) ?? [];
  const selectedHere = ids.filter((id) => selection?.selected.has(id)).length;

  let body: ReactNode;
  if (status === 'pending') {
    body = Array.from({ length: skeletonRows }, (_, index) => (
      <tr key={index} className="data-table__skeleton" aria-hidden="true">
        {Array.from({ length: span }, (_, cell) => (
          <td key={cell}>
            <span className="skeleton" />
          </td>
        ))}
      </tr>
    ));
  } else if (status === 'error' || !rows || rows.length === 0) {
    body = (
      <tr>
        <td colSpan={span} className="data-table__message">
          {status === 'error' ? error : empty}
        </td>
      </tr>
    );
  } else {
    body = rows.map((row) => {
      const id = getRowId(row);
      const isSelected = selection?.selected.has(id) ?? false;
      return (
        <tr key={id} className={cx(isSelected && 'is-selected')}>
          {selection && (
            <td className="data-table__select">
              <input type="checkbox" aria-label={selection.rowLabel(row)} checked={isSelected} onChange={(e) => selection.onChange([id], e.target.checked)} />
            </td>
          )}
          {columns.map((column) => (
            <td key={column.id} className={cx(column.align === 'end' && 'is-end')}>
              {column.cell(row)}
            </td>
          ))}
        </tr>
      );
    });
  }

  return (
    <div className={cx('data-table', refreshing && 'is-refreshing')}>
      <table aria-label={label} aria-busy={status === 'pending' || refreshing || undefined} style={minWidth ? { minWidth } : undefined}>
        <colgroup>
          {selection && <col style={{ width: '44px' }} />}
          {columns.map((column) => (
            <col key={column.id} style={column.width ? { width: column.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {selection && (
              <th scope="col" className="data-table__select">
                <input
                  type="checkbox"
                  aria-label={t('table.selectAllOnPage')}
                  disabled={ids.length === 0}
                  checked={ids.length > 0 && selectedHere === ids.length}
                  ref={(node) => {
                    if (node) node.indeterminate = selectedHere > 0 && selectedHere < ids.length;
                  }}
                  onChange={(e) => selection.onChange(ids, e.target.checked)}
                />
              </th>
            )}
            {columns.map((column) => {
              const active = sorting && column.sortKey && (sorting.sort === column.sortKey || sorting.sort === `-${column.sortKey}`);
              return (
                <th
                  key={column.id}
                  scope="col"
                  className={cx(column.align === 'end' && 'is-end')}
                  aria-sort={active ? (sorting.sort.startsWith('-') ? 'descending' : 'ascending') : undefined}
                >
                  {column.hideHeader ? (
                    <span className="sr-only">{column.header}</span>
                  ) : sorting && column.sortKey ? (
                    <SortHeader column={column as Column<unknown>} sorting={sorting} />
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
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
