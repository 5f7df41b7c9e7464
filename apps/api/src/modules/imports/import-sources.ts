import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { IMPORT_COLUMNS, REQUIRED_IMPORT_COLUMNS, type ImportColumn, type ImportFormat, type ImportMapping } from '@passman/contracts';
import { parse } from 'csv-parse';
import type ExcelJS from 'exceljs';
import { AppError } from '../../lib/app-error.js';
import { readKdbx } from './kdbx-source.js';
import type { SourceRow } from './source-row.js';

export type { SourceRow } from './source-row.js';

/** The rows of an upload, read as a stream; `headers` are the file's own column names (none for KeePass). */
export interface ImportSource {
  format: ImportFormat;
  headers: string[];
  rows: AsyncIterable<SourceRow>;
}

const KDBX_SIGNATURE = Buffer.from([0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5]);
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Pieces the parsers read at a time: the file is in memory, its rows are not. */
const CHUNK_BYTES = 64 * 1024;

/** What the content is, whatever the file is called: KeePass and XLSX by their magic bytes, else text (CSV). */
export function detectFormat(file: Buffer): ImportFormat {
  if (file.subarray(0, 8).equals(KDBX_SIGNATURE)) return 'kdbx';
  if (file.subarray(0, 4).equals(ZIP_SIGNATURE)) return 'xlsx';
  return 'csv';
}

function wrongType(expected: ImportFormat, found: ImportFormat | 'binary'): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', `The file is not ${FORMAT_NAME[expected]}: its content looks like ${FORMAT_NAME[found]}`, {
    details: { expected, found },
  });
}

const FORMAT_NAME: Record<ImportFormat | 'binary', string> = { csv: 'CSV text', xlsx: 'an XLSX workbook', kdbx: 'a KeePass KDBX file', binary: 'binary data' };

/** Header text compared loosely: "target type", "Target_Type" and "TARGET-TYPE" are one column. */
const normalize = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/**
 * Where each import column is among the file's headers: the mapping's choice, else the header of
 * the same name. A required column that is nowhere answers 422 IMPORT_COLUMN_MISSING.
 */
export function columnIndexes(headers: string[], mapping: ImportMapping): Map<ImportColumn, number> {
  const byName = new Map(headers.map((h, i) => [normalize(h), i] as const));
  const indexes = new Map<ImportColumn, number>();
  const unknown: string[] = [];
  for (const column of IMPORT_COLUMNS) {
    const chosen = mapping[column];
    const index = byName.get(normalize(chosen ?? column));
    if (index !== undefined) indexes.set(column, index);
    else if (chosen !== undefined) unknown.push(column);
  }
  const missing = REQUIRED_IMPORT_COLUMNS.filter((c) => !indexes.has(c));
  if (missing.length > 0 || unknown.length > 0) {
    const errors = [
      ...missing.map((c) => ({ path: `file.${c}`, message: `the required column ${c} is missing`, code: 'IMPORT_COLUMN_MISSING' })),
      ...unknown
        .filter((c) => !missing.includes(c as never))
        .map((c) => ({ path: `mapping.${c}`, message: 'names no header of the file', code: 'IMPORT_COLUMN_MISSING' })),
    ];
    throw new AppError('IMPORT_COLUMN_MISSING', `The file lacks columns the import needs: ${errors.map((e) => e.path).join(', ')}`, {
      errors,
      details: { headers },
    });
  }
  return indexes;
}

function valuesOf(cells: string[], indexes: Map<ImportColumn, number>): Record<ImportColumn, string> {
  const values = {} as Record<ImportColumn, string>;
  for (const column of IMPORT_COLUMNS) {
    const index = indexes.get(column);
    values[column] = index === undefined ? '' : (cells[index] ?? '').trim();
  }
  return values;
}

function chunksOf(file: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < file.length; at += CHUNK_BYTES) yield file.subarray(at, at + CHUNK_BYTES);
    })(),
    { objectMode: false },
  );
}

/** CSV: UTF-8 (a byte-order mark is dropped), comma- or semicolon-separated as the header line shows. */
async function csvSource(file: Buffer, mapping: ImportMapping): Promise<ImportSource> {
  if (!isUtf8(file)) {
    throw new AppError('IMPORT_ENCODING', 'The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again');
  }
  const firstLine =
    file
      .subarray(0, Math.min(file.length, 64 * 1024))
      .toString('utf8')
      .split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const parser = chunksOf(file).pipe(parse({ bom: true, delimiter, relax_column_count: true, skip_empty_lines: true, max_record_size: 1024 * 1024 }));
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const first = await nextRecord(records);
  if (first.done) throw new AppError('IMPORT_COLUMN_MISSING', 'The file is empty: it needs a header line naming its columns');
  const headers = first.value;
  const indexes = columnIndexes(headers, mapping);
  return {
    format: 'csv',
    headers,
    rows: (async function* () {
      let row = 1;
      for (;;) {
        const next = await nextRecord(records);
        if (next.done) return;
        row += 1;
        yield { row, values: valuesOf(next.value, indexes) };
      }
    })(),
  };
}

/** A CSV parse error says where, never what the line held (it may be a password). */
async function nextRecord(records: AsyncIterator<string[]>): Promise<IteratorResult<string[]>> {
  try {
    return await records.next();
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new AppError('IMPORT_UNREADABLE', `The CSV cannot be read${line ? ` near line ${line}` : ''}: check its quotes and separators`);
  }
}

type CellValue = ExcelJS.CellValue;

/** The text of a cell as a person sees it: formulas by their result, rich text joined, links by their text. */
function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('result' in value) return cellText((value as { result?: CellValue }).result ?? null);
  return '';
}

/**
 * XLSX: the first worksheet, its first row the headers, read with exceljs's streaming reader —
 * loaded on first use: it costs ≈25 MB of resident memory that most processes never need.
 */
async function xlsxSource(file: Buffer, mapping: ImportMapping): Promise<ImportSource> {
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(chunksOf(file), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const sheets = reader[Symbol.asyncIterator]();
  const rowsOfFirst = await unreadable(async () => {
    const sheet = await sheets.next();
    if (sheet.done) return null;
    return (sheet.value as AsyncIterable<ExcelJS.Row>)[Symbol.asyncIterator]();
  });
  if (!rowsOfFirst) throw new AppError('IMPORT_COLUMN_MISSING', 'The workbook has no worksheet');
  const cellsOf = (row: ExcelJS.Row) => {
    const values = row.values as CellValue[];
    // exceljs numbers cells from 1: index 0 of `values` is always empty.
    return Array.isArray(values) ? values.slice(1).map((v) => cellText(v ?? null)) : [];
  };
  const first = await unreadable(() => rowsOfFirst.next());
  if (first.done) throw new AppError('IMPORT_COLUMN_MISSING', 'The first worksheet is empty: its first row must name the columns');
  const headers = cellsOf(first.value);
  const indexes = columnIndexes(headers, mapping);
  return {
    format: 'xlsx',
    headers,
    rows: (async function* () {
      for (;;) {
        const next = await unreadable(() => rowsOfFirst.next());
        if (next.done) return;
        const cells = cellsOf(next.value);
        if (cells.every((c) => c.trim() === '')) continue;
        yield { row: next.value.number, values: valuesOf(cells, indexes) };
      }
    })(),
  };
}

/** exceljs and its zip reader throw whatever they meet in a broken file: one clear 422, never their text. */
async function unreadable<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('IMPORT_UNREADABLE', 'The workbook cannot be read: save it again as .xlsx and upload it again');
  }
}

/**
 * Opens an upload as rows in the import columns (IMPORT_COLUMNS). `format` given: the content must be of it
 * (415 otherwise); not given: recognised from the content.
 */
export async function openImportSource(file: Buffer, options: { format?: ImportFormat; mapping: ImportMapping; kdbxPassword?: string }): Promise<ImportSource> {
  const found = detectFormat(file);
  if (found === 'csv' && !isUtf8(file) && file.includes(0)) throw wrongType(options.format ?? 'csv', 'binary');
  if (options.format && options.format !== found) throw wrongType(options.format, found);
  switch (found) {
    case 'csv':
      return csvSource(file, options.mapping);
    case 'xlsx':
      return xlsxSource(file, options.mapping);
    case 'kdbx':
      return { format: 'kdbx', headers: [], rows: await readKdbx(file, options.kdbxPassword) };
  }
}
