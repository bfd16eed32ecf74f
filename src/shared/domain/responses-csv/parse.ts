/**
 * Reading a responses CSV file (an import of historic responses): text in,
 * typed rows or row-numbered errors out, all or nothing. It reads what
 * spreadsheets write (a byte-order mark, semicolons or tabs, header words
 * as people type them, the export's formula guard) and names each bad row
 * as a spreadsheet numbers it. Finding the workshops and people a row
 * names, and writing records, is the server's job.
 */
import Papa from 'papaparse';
import type * as z from 'zod';
import { MAX_CSV_ROWS, OPTIONAL_COLUMNS, RESPONSES_CSV_COLUMNS } from './columns';
import { ResponsesCsvRow } from './row';

export interface RowError {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  message: string;
}

export type ParsedResponsesCsv =
  | { ok: true; rows: ResponsesCsvRow[]; /** Spreadsheet row number of each row. */ rowNumbers: number[] }
  | { ok: false; errors: RowError[] };

/** "Participant name" or "participant-name" in a hand-made header means participant_name. */
function columnKey(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Spreadsheets in some locales write semicolons or tabs; the header line tells which. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/** The export writes a leading apostrophe before = + - @ so spreadsheets show text rather than run a formula. */
function unescapeFormula(cell: string): string {
  return /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

function issuesMessage(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Reads a CSV file in the column format above; refuses it whole, naming every bad row, if any row is bad. */
export function parseResponsesCsv(csv: string): ParsedResponsesCsv {
  const input = csv.replace(/^\uFEFF/, '');
  if (input.trim() === '') return { ok: false, errors: [{ row: 1, message: 'The file is empty.' }] };
  const parsed = Papa.parse<string[]>(input, { header: false, skipEmptyLines: false, delimiter: delimiterOf(input) });
  const errors: RowError[] = [];
  for (const e of parsed.errors) {
    if (e.row !== undefined) errors.push({ row: e.row + 1, message: `The file is not valid CSV here: ${e.message}.` });
  }
  const [header = [], ...records] = parsed.data;
  const columns = header.map(columnKey);
  const known = new Set<string>(RESPONSES_CSV_COLUMNS);
  const headerProblems: string[] = [];
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length)
    headerProblems.push(
      `unknown column ${unknown.map((c) => (c === '' ? '(a column without a name)' : `"${c}"`)).join(', ')}`,
    );
  const repeated = columns.filter((c, i) => c !== '' && columns.indexOf(c) !== i);
  if (repeated.length) headerProblems.push(`column ${[...new Set(repeated)].join(', ')} appears twice`);
  const missing = RESPONSES_CSV_COLUMNS.filter((c) => !OPTIONAL_COLUMNS.includes(c) && !columns.includes(c));
  if (missing.length) headerProblems.push(`missing column ${missing.join(', ')}`);
  if (headerProblems.length) {
    errors.push({
      row: 1,
      message: `The header row is not in the responses format: ${headerProblems.join('; ')}. The columns are ${RESPONSES_CSV_COLUMNS.join(', ')}.`,
    });
    return { ok: false, errors };
  }
  const dataRows = records.filter((r) => r.some((cell) => cell.trim() !== '')).length;
  if (dataRows > MAX_CSV_ROWS) {
    return {
      ok: false,
      errors: [{ row: 1, message: `The file has ${dataRows} rows; import at most ${MAX_CSV_ROWS} at a time.` }],
    };
  }

  const rows: ResponsesCsvRow[] = [];
  const rowNumbers: number[] = [];
  records.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((cell) => cell.trim() === '')) return;
    if (cells.length !== columns.length) {
      errors.push({ row, message: `The row has ${cells.length} cells; the header has ${columns.length} columns.` });
      return;
    }
    const values = Object.fromEntries(columns.map((c, i) => [c, unescapeFormula(cells[i]!)]));
    const result = ResponsesCsvRow.safeParse(values);
    if (result.success) {
      rows.push(result.data);
      rowNumbers.push(row);
    } else {
      errors.push({ row, message: issuesMessage(result.error) });
    }
  });
  if (errors.length) {
    const byRow = new Map<number, string[]>();
    for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e.message]);
    return {
      ok: false,
      errors: [...byRow].sort((a, b) => a[0] - b[0]).map(([row, messages]) => ({ row, message: messages.join(' ') })),
    };
  }
  return { ok: true, rows, rowNumbers };
}
