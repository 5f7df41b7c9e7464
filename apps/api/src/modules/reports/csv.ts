import type { Response } from 'express';
import { csvLine } from '../../lib/csv.js';

export { csvCell, csvLine } from '../../lib/csv.js';

/** A column: its header and the row field it shows. */
export type CsvColumns = readonly (readonly [header: string, field: string])[];

/** Whether the request asks for CSV rather than JSON (a browser's plain `*` / `*` gets JSON). */
export const wantsCsv = (accepts: (types: string[]) => string | false) => accepts(['application/json', 'text/csv']) === 'text/csv';

/**
 * Streams `batches` as CSV: the header line, then each batch as it is read, waiting for the
 * socket to drain so a slow client holds one batch in memory, not the report. A failure after
 * the first byte can no longer become a problem+json answer: the connection is cut, so the
 * client sees a broken download rather than a short file it could take for complete.
 */
export async function sendCsv(res: Response, filename: string, columns: CsvColumns, batches: AsyncIterable<Record<string, unknown>[]>): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  const write = async (chunk: string) => {
    if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
  };
  try {
    await write(csvLine(columns.map(([header]) => header)));
    for await (const rows of batches) {
      if (res.destroyed) return;
      await write(rows.map((row) => csvLine(columns.map(([, field]) => row[field]))).join(''));
    }
    res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : undefined);
    throw error;
  }
}
