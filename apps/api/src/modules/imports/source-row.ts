import type { ImportColumn } from '@passman/contracts';

/** One row of the file in the import columns (IMPORT_COLUMNS) (absent columns are empty), with its place in the file. */
export interface SourceRow {
  row: number;
  values: Record<ImportColumn, string>;
}
