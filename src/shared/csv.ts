/**
 * CSV for spreadsheets (RFC 4180): fields with a comma, quote or line break are quoted,
 * quotes doubled, lines end in CRLF. A file starts with a BOM so Excel reads UTF-8 Korean.
 */
export const CSV_BOM = '\uFEFF';

// A cell a spreadsheet would run as a formula (=HYPERLINK(…), +, -, @, or a leading tab or
// CR that some programs strip first) is kept as text with a leading apostrophe (OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
