/** The error report: the rows an import skipped or failed, as CSV a spreadsheet opens safely. */
import { csvLine } from '../../lib/csv.js';

const HEADER = ['Row', 'Target_type', 'Target', 'Account', 'Group_path', 'Outcome', 'Reason', 'Message'];
const PAGE = 1000;

interface ProblemRow {
  row: number;
  targetType: string;
  target: string;
  account: string;
  groupPath: string;
  outcome: string;
  reason: string | null;
  message: string | null;
}

/** The report's lines, the header first, reading the rows a page at a time (never a password: none is stored). */
export async function* errorReportLines(page: (afterRow: number, limit: number) => Promise<ProblemRow[]>): AsyncIterable<string> {
  yield csvLine(HEADER);
  let after = 0;
  for (;;) {
    const rows = await page(after, PAGE);
    for (const r of rows) yield csvLine([r.row, r.targetType, r.target, r.account, r.groupPath, r.outcome, r.reason, r.message]);
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.row;
  }
}
