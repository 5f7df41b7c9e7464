import { describe, expect, it } from '@jest/globals';
import { csvCell, csvLine } from '../../lib/csv.js';
import { errorReportLines } from './error-report.js';

describe('the error report CSV', () => {
  it('shows cells a spreadsheet would run as formulas as text', () => {
    expect(['=1+1', '+41', '-2', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'=1+1", "'+41", "'-2", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    expect(csvCell('db-01')).toBe('db-01');
    expect(csvCell(null)).toBe('');
    expect(csvCell(7)).toBe('7');
  });

  it('quotes separators, quotes and line breaks as RFC 4180 says', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines'])).toBe('"a,b","say ""hi""","two\nlines"\r\n');
  });

  it('reads the rows a page at a time after the header', async () => {
    const pages: number[] = [];
    const row = (n: number) => ({ row: n, targetType: 'ssh', target: 't', account: 'a', groupPath: '', outcome: 'skip', reason: 'BAD_VALUE', message: 'm' });
    const lines: string[] = [];
    for await (const line of errorReportLines(async (after, limit) => {
      pages.push(after);
      return after === 0 ? Array.from({ length: limit }, (_, i) => row(i + 2)) : [row(limit + 2)];
    })) {
      lines.push(line);
    }
    expect(lines[0]).toBe('Row,Target_type,Target,Account,Group_path,Outcome,Reason,Message\r\n');
    expect(lines).toHaveLength(1 + 1000 + 1);
    expect(pages).toEqual([0, 1001]);
  });
});
