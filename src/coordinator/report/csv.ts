/**
 * CSV export with papaparse: report grids and the raw responses. A
 * byte-order mark first so Excel opens accented member names and Persian
 * text as UTF-8, and total rows after the data rows, as on screen.
 */
import Papa from 'papaparse';
import { CSV_BOM as BOM } from '../../shared/domain/responses-csv/format';
import type { Grid } from './report-grids';
import type { ResponseValue } from '../core/types';

export function gridToCsv(grid: Grid): string {
  const rows = [...grid.body, ...grid.foot].map((row) => row.map((cell) => (cell === null ? '' : cell)));
  return `${BOM}${Papa.unparse({ fields: grid.head, data: rows }, { newline: '\r\n' })}`;
}

/**
 * The raw responses, one row each, in the export's column order and the
 * import's cell format (shared/domain/responses-csv/): empty for null,
 * yes/no for flags, and an apostrophe before a leading = + - @ so a
 * spreadsheet shows the text instead of running it. A header row alone is
 * the import template.
 */
export function responsesToCsv(columns: readonly string[], rows: readonly Record<string, ResponseValue>[]): string {
  const cell = (value: ResponseValue | undefined) =>
    value === null || value === undefined ? '' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : value;
  const data = rows.map((row) => columns.map((c) => cell(row[c])));
  return `${BOM}${Papa.unparse({ fields: [...columns], data }, { newline: '\r\n', escapeFormulae: /^[=+\-@]/ })}`;
}

/** "vaka-survey-2020-21-table1.csv": no slash, which is not allowed in file names. */
export function exportFileName(fiscalYear: string, part: string, extension: 'csv' | 'xlsx'): string {
  return `vaka-survey-${fiscalYear.replace('/', '-')}-${part}.${extension}`;
}

/** Saves a file through a temporary link (works offline, no server round trip). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start the download only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(text: string, fileName: string): void {
  downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName);
}
