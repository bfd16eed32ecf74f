/**
 * CSV export of a report grid with papaparse: a byte-order mark first so
 * Excel opens accented member names and Persian text as UTF-8, and total
 * rows after the data rows, as on screen.
 */
import Papa from 'papaparse';
import type { Grid } from './report-grids';

export function gridToCsv(grid: Grid): string {
  const rows = [...grid.body, ...grid.foot].map((row) => row.map((cell) => (cell === null ? '' : cell)));
  return `\uFEFF${Papa.unparse({ fields: grid.head, data: rows }, { newline: '\r\n' })}`;
}

/** "vaka-survey-2020-21-table1.csv": no slash, which is not allowed in file names. */
export function csvFileName(fiscalYear: string, part: string): string {
  return `vaka-survey-${fiscalYear.replace('/', '-')}-${part}.csv`;
}

/** Saves text as a file through a temporary link (works offline, no server round trip). */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start the download only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
