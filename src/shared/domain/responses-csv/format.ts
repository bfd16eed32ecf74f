/**
 * Writing rows in the responses CSV format (the export, and what the
 * command line writes): RFC 4180, CRLF, every column, header first, flags as
 * yes/no, and an apostrophe before a leading = + - @ so a spreadsheet shows
 * the text instead of running it (parse.ts takes the apostrophe off again).
 */
import Papa from 'papaparse';
import { RESPONSES_CSV_COLUMNS } from './columns';
import type { ResponsesCsvRow } from './row';

/**
 * Every CSV file Vaka writes (the browser's downloads and the operator
 * CLI's export) starts with this byte-order mark: without it Excel, which
 * the office opens these files in, reads UTF-8 as a legacy code page and
 * garbles accented and Persian names. Every reader here ignores it
 * (docs/responses-csv.md).
 */
export const CSV_BOM = '\uFEFF';

function cellText(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** Writes rows in the column format (RFC 4180, CRLF, every column, header first). */
export function formatResponsesCsv(rows: readonly ResponsesCsvRow[]): string {
  return Papa.unparse(
    {
      fields: [...RESPONSES_CSV_COLUMNS],
      data: rows.map((r) => RESPONSES_CSV_COLUMNS.map((c) => cellText(r[c]))),
    },
    { newline: '\r\n', escapeFormulae: /^[=+\-@]/ },
  );
}
