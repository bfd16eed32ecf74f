/**
 * Operator commands for the follow-up survey: the report of a fiscal year
 * (the same JSON as GET /api/v1/reports/follow-up, or Table 1 as text), and
 * the raw responses as CSV out and in, with the same format, checks and
 * all-or-nothing import as the coordinator routes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { CSV_BOM, formatResponsesCsv } from '../../shared/domain/responses-csv/format';
import { parseResponsesCsv, type RowError } from '../../shared/domain/responses-csv/parse';
import { fiscalYearRange, type Table1Totals } from '../../shared/domain/survey-report';
import { FiscalYearStart, followUpReport, type FollowUpReport } from '../reports/follow-up';
import { responseRows } from '../reports/responses-export';
import { importResponseRows } from '../reports/responses-import';
import { UsageError, parseCommandArgs, type CliContext, type Command } from './command';

function fiscalYearOption(value: string | undefined): string {
  if (value === undefined) throw new UsageError('Give --fiscal-year with the year it starts: 2020 for 2020/21.');
  const parsed = FiscalYearStart.safeParse(value);
  if (!parsed.success) throw new UsageError(`--fiscal-year ${value}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

const percent = (p: number | null) => (p === null ? '–' : `${p}%`);

/** Table 1 as aligned text: one line per workshop, then the sub-totals the report prints and the total. */
function table1Text(report: FollowUpReport): string {
  const { start, end } = fiscalYearRange(report.fiscalYear);
  const t1 = report.tables.table1;
  const width = 56;
  const title = (t: string) => (t.length > width ? `${t.slice(0, width - 1)}…` : t.padEnd(width));
  const figures = (t: Table1Totals) =>
    `${String(t.participants).padStart(12)}${String(t.replies).padStart(9)}${percent(t.replyRate.percent).padStart(6)}`;
  const lines = [
    `Follow-up survey report, fiscal year ${report.fiscalYear} (${start} to ${end})`,
    '',
    'Table 1. Replies to the 6-month follow-up survey',
    `  No  ${'Workshop'.padEnd(width)}${'Participants'.padStart(12)}${'Replies'.padStart(9)}${'Rate'.padStart(6)}`,
    ...t1.rows.map((r, i) => `${String(i + 1).padStart(4)}  ${title(r.title)}${figures(r)}`),
    `      ${title('Sub-regional workshops')}${figures(t1.subtotals['sub-regional'])}`,
    `      ${title('Regional workshops')}${figures(t1.subtotals.regional)}`,
    `      ${title('Total')}${figures(t1.total)}`,
  ];
  if (t1.rows.length === 0) lines.push('', 'No regional or sub-regional workshop started in this fiscal year.');
  return lines.join('\n');
}

export const report: Command = {
  name: 'report',
  synopsis: '--fiscal-year YEAR [--json]',
  summary: 'Print the follow-up survey report of a fiscal year, computed from the records.',
  help: [
    '  --fiscal-year YEAR  the year the fiscal year starts: 2020 for July 2020 to June 2021',
    '  --json              every table, the examples and the indicators as JSON, exactly as',
    '                      GET /api/v1/reports/follow-up?fiscalYear=YEAR answers them;',
    '                      without it, Table 1 as text',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs(
      this.name,
      argv,
      { 'fiscal-year': { type: 'string' }, json: { type: 'boolean' } },
      { names: [] },
    );
    const fiscalYear = fiscalYearOption(values['fiscal-year']);
    const result = await followUpReport((await ctx.database()).db, fiscalYear);
    ctx.out(values.json ? JSON.stringify(result, null, 2) : table1Text(result));
    return 0;
  },
};

export const exportResponses: Command = {
  name: 'export-responses',
  synopsis: '--fiscal-year YEAR [--out FILE]',
  summary: 'Write the raw survey responses of a fiscal year as CSV.',
  help: [
    '  --fiscal-year YEAR  the year the fiscal year starts: 2020 for July 2020 to June 2021',
    '  --out FILE          write to FILE instead of standard output',
    'One row per participant on a workshop roster, in the responses CSV format (docs/responses-csv.md),',
    'starting with a byte-order mark as every CSV file Vaka writes; import-responses reads the file back.',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs(
      this.name,
      argv,
      { 'fiscal-year': { type: 'string' }, out: { type: 'string' } },
      { names: [] },
    );
    const fiscalYear = fiscalYearOption(values['fiscal-year']);
    const rows = await responseRows((await ctx.database()).db, fiscalYear);
    const csv = `${CSV_BOM}${formatResponsesCsv(rows)}\r\n`;
    if (values.out === undefined) {
      ctx.write(csv);
    } else {
      await writeFile(values.out, csv);
      ctx.out(`Wrote ${rows.length} rows of fiscal year ${fiscalYear} to ${values.out}.`);
    }
    return 0;
  },
};

function printRowErrors(ctx: CliContext, errors: readonly RowError[]): number {
  for (const e of errors) ctx.err(`Row ${e.row}: ${e.message}`);
  ctx.err(`Nothing was imported: ${errors.length === 1 ? '1 row needs' : `${errors.length} rows need`} fixing.`);
  return 1;
}

export const importResponses: Command = {
  name: 'import-responses',
  synopsis: 'FILE',
  summary: 'Import survey responses from a CSV file, all rows or none.',
  help: [
    'FILE is in the responses CSV format (docs/responses-csv.md). Every row is checked first; if any row is bad, each',
    'bad row is printed with its number (the header is row 1), nothing is imported and the exit code is 1.',
    'Rows already stored with the same answers are skipped, so importing a file twice adds nothing.',
  ].join('\n'),
  async run(argv, ctx) {
    const { positionals } = parseCommandArgs(this.name, argv, {}, { names: ['FILE'] });
    const file = positionals[0]!;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      ctx.err(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    const parsed = parseResponsesCsv(text);
    if (!parsed.ok) return printRowErrors(ctx, parsed.errors);
    const database = await ctx.database();
    const result = await importResponseRows(
      database.db,
      database.dialect,
      parsed.rows,
      parsed.rowNumbers,
      new Date().toISOString(),
    );
    if (!result.ok) return printRowErrors(ctx, result.errors);
    ctx.out(`Imported ${result.imported} rows; ${result.skipped} were already there.`);
    return 0;
  },
};
