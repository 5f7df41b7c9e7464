/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula — starting with = + - @,
 * or a tab or carriage return that some strip before looking — gets a leading apostrophe, so a
 * name chosen by someone else (an account, a target, a row of an imported file) cannot become a
 * formula in an auditor's sheet.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(' ') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line of cells, ending CRLF. */
export const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;
