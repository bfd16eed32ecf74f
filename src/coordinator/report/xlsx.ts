/**
 * XLSX export: report grids and raw responses as worksheets for
 * write-excel-file. The builders are pure (tested by reading the workbook
 * back); the writer itself is imported only when a coordinator asks for a
 * file, so neither participants nor the report screen's first paint pay for
 * it. Numbers stay numbers, percentages become fractions formatted "0%", so
 * a spreadsheet shows what the screen shows and can still compute with it.
 * In the raw responses `submitted_at` is a date cell (UTC) and every yes/no
 * column is text, `yes`, `no` (or `not yet`), as in the CSV. The workbook
 * carries the default "Normal" style strict readers expect
 * (docs/responses-csv.md).
 */
import type { Cell as XlsxCell, Feature, Options, Sheet, SheetData } from 'write-excel-file/browser';
import { downloadBlob } from './csv';
import type { Cell, Grid } from './report-grids';
import type { ResponseValue } from '../core/types';

export type WorkbookSheet = Sheet<Blob>;

const PERCENT_FORMAT = '0%';
/** Excel refuses longer sheet names and these characters in them. */
const SHEET_NAME_MAX = 31;
const SHEET_NAME_FORBIDDEN = /\s*[:\\/?*[\]]+\s*/g;
const MAX_WIDTH = 60;

/**
 * A sheet name Excel accepts, unique in the workbook: "Table 1: replies"
 * becomes "Table 1 - replies"; a repeated name gets " (2)".
 */
export function sheetName(name: string, taken: Set<string>): string {
  const clean = name.replace(SHEET_NAME_FORBIDDEN, ' - ').replace(/^['\s-]+|['\s-]+$/g, '') || 'Sheet';
  let candidate = clean.slice(0, SHEET_NAME_MAX).trim();
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = `${clean.slice(0, SHEET_NAME_MAX - suffix.length).trim()}${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

function xlsxCell(cell: Cell, percent: boolean, bold: boolean): XlsxCell {
  if (cell === null) return null;
  const style = bold ? { fontWeight: 'bold' as const } : {};
  if (typeof cell === 'number') {
    return percent
      ? { value: cell / 100, type: Number, format: PERCENT_FORMAT, ...style }
      : { value: cell, type: Number, ...style };
  }
  return { value: cell, type: String, wrap: cell.length > MAX_WIDTH, ...style };
}

/** Column widths in characters from the longest value, capped so long examples wrap instead. */
function widths(rows: readonly (readonly unknown[])[]): { width: number }[] {
  const out: { width: number }[] = [];
  for (const row of rows)
    row.forEach((value, i) => {
      const length = value === null || value === undefined ? 0 : String(value).length;
      out[i] = { width: Math.min(MAX_WIDTH, Math.max(out[i]?.width ?? 8, length + 2)) };
    });
  return out;
}

/** One grid as a sheet: the header row in bold and frozen, the rows, then the totals in bold. */
export function gridSheet(name: string, grid: Grid, rightToLeft: boolean, taken = new Set<string>()): WorkbookSheet {
  const columns = new Set(grid.percent?.columns ?? []);
  const footRows = new Set(grid.percent?.footRows ?? []);
  const data: SheetData = [
    grid.head.map((h) => ({ value: h, type: String, fontWeight: 'bold' as const })),
    ...grid.body.map((row) => row.map((cell, c) => xlsxCell(cell, columns.has(c), false))),
    ...grid.foot.map((row, r) => row.map((cell, c) => xlsxCell(cell, columns.has(c) || footRows.has(r), true))),
  ];
  return {
    sheet: sheetName(name, taken),
    data,
    columns: widths([grid.head, ...grid.body, ...grid.foot]),
    stickyRowsCount: 1,
    rightToLeft,
  };
}

/** Every table of the report in one workbook, a sheet per table, in the report's order. */
export function reportWorkbook(parts: readonly { name: string; grid: Grid }[], rightToLeft: boolean): WorkbookSheet[] {
  const taken = new Set<string>();
  return parts.map(({ name, grid }) => gridSheet(name, grid, rightToLeft, taken));
}

/** Columns holding an instant, written as date cells; the API sends them as ISO 8601 text in UTC. */
const DATE_COLUMNS = new Set(['submitted_at']);
/** Excel shows dates in this format whatever the reader's locale; the column is in UTC, as the CSV's. */
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

function responseCell(column: string, value: ResponseValue | undefined): XlsxCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return { value, type: Number };
  // Flags are text like the answer columns beside them (`yes`, `no`, `not yet`): one type per kind of column.
  if (typeof value === 'boolean') return { value: value ? 'yes' : 'no', type: String };
  if (DATE_COLUMNS.has(column) && !Number.isNaN(Date.parse(value)))
    return { value: new Date(value), type: Date, format: DATE_FORMAT };
  return { value, type: String };
}

/** The raw responses: one row per response, the columns in the export's order. */
export function responsesSheet(
  name: string,
  columns: readonly string[],
  rows: readonly Record<string, ResponseValue>[],
): WorkbookSheet {
  return {
    sheet: sheetName(name, new Set()),
    data: [
      columns.map((c) => ({ value: c, type: String, fontWeight: 'bold' as const })),
      ...rows.map((row) => columns.map((c) => responseCell(c, row[c]))),
    ],
    columns: widths([columns, ...rows.map((row) => columns.map((c) => row[c]))]),
    stickyRowsCount: 1,
  };
}

/**
 * The default cell style ("Normal") and the cell style records it refers
 * to: write-excel-file leaves them out, Excel tolerates that, and strict
 * readers (openpyxl among them) warn that the workbook has no default style.
 */
const defaultStyle: Feature<File | Blob | ArrayBuffer> = {
  files: {
    transform: {
      'xl/styles.xml': {
        transform: (xml) =>
          xml.includes('<cellStyles')
            ? xml
            : xml.replace(/<cellXfs[^>]*>[\s\S]*?<\/cellXfs>/, (cellXfs) =>
                [
                  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
                  cellXfs.replace(/<xf(?=[ >])/g, '<xf xfId="0"'),
                  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>',
                ].join(''),
              ),
      },
    },
  },
};

/** The font every cell starts from (Excel's default), named so readers need not guess it. */
export const WORKBOOK_OPTIONS: Options<File | Blob | ArrayBuffer> = {
  fontFamily: 'Calibri',
  fontSize: 11,
  features: [defaultStyle],
};

/** The workbook as a file; the writer library loads on the first call only. */
export async function workbookBlob(sheets: WorkbookSheet[]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  return writeXlsxFile(sheets, WORKBOOK_OPTIONS).toBlob();
}

/** Writes the workbook and saves it. */
export async function downloadWorkbook(sheets: WorkbookSheet[], fileName: string): Promise<void> {
  downloadBlob(await workbookBlob(sheets), fileName);
}
