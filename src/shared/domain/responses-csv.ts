/**
 * The CSV column format of follow-up survey responses: the raw-responses
 * export of a fiscal year and the import of historic responses (the ones the
 * office collected by e-mail before Vaka). One row per participant on a
 * workshop roster, with their submitted answers, or status `not-answered` so
 * that roster sizes (Table 1's reply rates) travel with the answers. Pure:
 * text in, typed rows or row-numbered errors out. Finding the workshops and
 * people a row names, and writing records, is the server's job.
 */
import Papa from 'papaparse';
import * as z from 'zod';
import { Id, requiredText, text } from '../schemas/common';
import { ACTION_KINDS, SurveyResponse, type ActionKind } from '../schemas/followup';
import { Participant } from '../schemas/participant';
import type { Workshop } from '../schemas/workshop';
import { isMemberCode } from './members';
import { fiscalYearOf } from './survey-report';

/** One column per action kind of the questionnaire, in the questionnaire's order. */
export const ACTION_COLUMNS = {
  'share-materials': 'action_share_materials',
  'submit-report': 'action_submit_report',
  'make-recommendations': 'action_make_recommendations',
  'in-house-workshop': 'action_in_house_workshop',
  'operational-manuals': 'action_operational_manuals',
  other: 'action_other',
} as const satisfies Record<ActionKind, string>;
type ActionColumn = (typeof ACTION_COLUMNS)[ActionKind];

/** Every column, in the order an export writes them. */
export const RESPONSES_CSV_COLUMNS = [
  'fiscal_year',
  'workshop_id',
  'workshop_title',
  'participant_id',
  'participant_name',
  'participant_email',
  'participant_position',
  'administration',
  'response_id',
  'status',
  'revision',
  'submitted_at',
  ...ACTION_KINDS.map((k) => ACTION_COLUMNS[k]),
  'other_actions',
  'operational_improvement',
  'strategic_empowerment',
  'direct_effects',
  'direct_effects_details',
  'work_efficiency',
  'work_efficiency_details',
  'new_projects',
  'new_projects_details',
] as const;
export type ResponsesCsvColumn = (typeof RESPONSES_CSV_COLUMNS)[number];

/** Columns an imported file may leave out entirely (ids, e-mail, position, revision and the free texts). */
export const OPTIONAL_COLUMNS: readonly ResponsesCsvColumn[] = [
  'workshop_id',
  'participant_id',
  'participant_email',
  'participant_position',
  'response_id',
  'revision',
  'other_actions',
  'operational_improvement',
  'strategic_empowerment',
  'direct_effects_details',
  'work_efficiency_details',
  'new_projects_details',
];

/** An import holds at most this many rows; larger histories go in several files. */
export const MAX_CSV_ROWS = 10_000;

// ---------------------------------------------------------------------------
// Cells. Every cell schema takes either the text of a CSV cell or the typed
// value of a JSON row (what the export route answers), so one schema serves both.

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
/** A missing column or an empty cell is null. */
const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : trimmed(v));
/** A missing column of free text is the empty text. */
const freeText = (max: number) => z.preprocess((v) => (v === undefined || v === null ? '' : v), text(max));

const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);

/** yes/no (case-insensitive; y/n and TRUE/FALSE as spreadsheets write them are read too). */
const Flag = z.preprocess(
  (v) => {
    const s = blankToNull(v);
    if (typeof s !== 'string') return s;
    const lower = s.toLowerCase();
    return YES.has(lower) ? true : NO.has(lower) ? false : s;
  },
  z.boolean({ error: 'Write yes or no.' }).nullable(),
);

const answer = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.preprocess(
    (v) => {
      const s = blankToNull(v);
      if (typeof s !== 'string') return s;
      const lower = s.toLowerCase().replace(/\s+/g, ' ');
      return lower === 'not yet' ? 'not-yet' : YES.has(lower) ? 'yes' : NO.has(lower) ? 'no' : lower;
    },
    z.enum(values, { error: message }).nullable(),
  );

/** "2020/21" as the office writes it; "2020" (the year it starts) is read as 2020/21. */
const FiscalYearCell = z.preprocess(
  trimmed,
  z.string({ error: 'Write the fiscal year as 2020/21 (July 2020 to June 2021).' }).transform((v, ctx) => {
    const start = /^(\d{4})$/.exec(v)?.[1] ?? /^(\d{4})\/(\d{2})$/.exec(v)?.[1];
    const label = start && `${start}/${String((Number(start) + 1) % 100).padStart(2, '0')}`;
    if (!label || (v.includes('/') && v !== label)) {
      ctx.issues.push({
        code: 'custom',
        input: v,
        message: 'Write the fiscal year as 2020/21 (July 2020 to June 2021).',
      });
      return z.NEVER;
    }
    return label;
  }),
);

/** A date (taken as midnight UTC), "YYYY-MM-DD HH:MM[:SS]" (UTC, as spreadsheets reformat) or ISO 8601 UTC. */
const SubmittedAt = z.preprocess(
  (v) => {
    const s = blankToNull(v);
    if (typeof s !== 'string') return s;
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${s}T00:00:00.000Z`;
    const spaced = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})(:\d{2})?$/.exec(s);
    return spaced ? `${spaced[1]}T${spaced[2]}${spaced[3] ?? ':00'}.000Z` : s;
  },
  z.iso
    .datetime({ error: 'Write the date as YYYY-MM-DD or an ISO 8601 UTC time such as 2021-05-15T06:17:00Z.' })
    .nullable(),
);

const Revision = z.preprocess(
  (v) => {
    const s = blankToNull(v);
    return typeof s === 'string' && /^\d+$/.test(s) ? Number(s) : s;
  },
  z
    .number({ error: 'Write a whole number, 1 for a first answer.' })
    .int({ error: 'Write a whole number, 1 for a first answer.' })
    .min(1, { error: 'Write a whole number, 1 for a first answer.' })
    .max(1000, { error: 'At most 1000.' })
    .nullable(),
);

const Administration = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
  z
    .string({ error: 'Write the two-letter code of an Asia/Pacific member administration, such as FJ.' })
    .refine(isMemberCode, { error: 'Write the two-letter code of an Asia/Pacific member administration, such as FJ.' }),
);

const Status = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase().replace(/\s+/g, '-') : v),
  z.enum(['submitted', 'not-answered'], {
    error: 'Write submitted or not-answered (drafts are neither exported nor imported).',
  }),
);

const actionCells = Object.fromEntries(ACTION_KINDS.map((k) => [ACTION_COLUMNS[k], Flag])) as Record<
  ActionColumn,
  typeof Flag
>;

const RowFields = z.object({
  fiscal_year: FiscalYearCell,
  workshop_id: z.preprocess(blankToNull, Id.nullable()),
  workshop_title: z.preprocess(trimmed, requiredText(300)),
  participant_id: z.preprocess(blankToNull, Id.nullable()),
  participant_name: z.preprocess(trimmed, requiredText(200)),
  participant_email: z.preprocess(
    blankToNull,
    z.email({ error: 'Must be an e-mail address.' }).max(320, { error: 'At most 320 characters.' }).nullable(),
  ),
  participant_position: freeText(200),
  administration: Administration,
  response_id: z.preprocess(blankToNull, Id.nullable()),
  status: Status,
  revision: Revision,
  submitted_at: SubmittedAt,
  ...actionCells,
  other_actions: freeText(2000),
  operational_improvement: freeText(4000),
  strategic_empowerment: freeText(4000),
  direct_effects: answer(['yes', 'no', 'not-yet'] as const, 'Write yes, no or not yet.'),
  direct_effects_details: freeText(4000),
  work_efficiency: answer(['yes', 'no'] as const, 'Write yes or no.'),
  work_efficiency_details: freeText(4000),
  new_projects: answer(['yes', 'no'] as const, 'Write yes or no.'),
  new_projects_details: freeText(4000),
});

/** Columns that hold an answer (from response_id on, except status): filled in when submitted, empty otherwise. */
const ANSWER_COLUMNS: readonly ResponsesCsvColumn[] = RESPONSES_CSV_COLUMNS.slice(
  RESPONSES_CSV_COLUMNS.indexOf('response_id'),
).filter((column) => column !== 'status');

/**
 * One row, as a CSV cell map or as a typed JSON row. The rules a submitted
 * response must meet on a device (every question answered, "other" and a
 * new project described) bind here too, with the column named.
 */
export const ResponsesCsvRow = RowFields.superRefine((row, ctx) => {
  const need = (column: ResponsesCsvColumn, message: string) =>
    ctx.addIssue({ code: 'custom', path: [column], message });
  if (row.status === 'not-answered') {
    const filled = ANSWER_COLUMNS.filter((c) => row[c] !== null && row[c] !== '');
    if (filled.length)
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: `The participant did not answer, so leave ${filled.join(', ')} empty.`,
      });
    return;
  }
  if (row.submitted_at === null) need('submitted_at', 'A submitted response needs its submission date.');
  for (const kind of ACTION_KINDS) {
    if (row[ACTION_COLUMNS[kind]] === null) need(ACTION_COLUMNS[kind], 'Write yes or no.');
  }
  for (const column of ['direct_effects', 'work_efficiency', 'new_projects'] as const) {
    if (row[column] === null) need(column, 'A submitted response answers this question.');
  }
  if (row.action_other === true && row.other_actions === '') need('other_actions', 'Describe the other actions taken.');
  if (row.new_projects === 'yes' && row.new_projects_details === '')
    need('new_projects_details', 'Describe the new project.');
});
export type ResponsesCsvRow = z.output<typeof ResponsesCsvRow>;

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

// ---------------------------------------------------------------------------
// Rows and records

/** The row of one roster line: the participant's counted response, or none. */
export function rowFromRecords(
  workshop: Pick<Workshop, 'id' | 'title' | 'startDate'>,
  participant: Participant,
  response: SurveyResponse | null,
): ResponsesCsvRow {
  const base = {
    fiscal_year: fiscalYearOf(workshop.startDate),
    workshop_id: workshop.id,
    workshop_title: workshop.title,
    participant_id: participant.id,
    participant_name: participant.fullName,
    participant_email: participant.email,
    participant_position: participant.position,
    administration: participant.memberCode,
  };
  if (!response) {
    return ResponsesCsvRow.parse({ ...base, status: 'not-answered' });
  }
  return ResponsesCsvRow.parse({
    ...base,
    response_id: response.id,
    status: 'submitted',
    revision: response.revision,
    submitted_at: response.submittedAt,
    ...Object.fromEntries(ACTION_KINDS.map((k) => [ACTION_COLUMNS[k], response.actionsTaken.includes(k)])),
    other_actions: response.otherActions,
    operational_improvement: response.lessonsApplied.operationalImprovement,
    strategic_empowerment: response.lessonsApplied.strategicEmpowerment,
    direct_effects: response.directEffects.answer,
    direct_effects_details: response.directEffects.details,
    work_efficiency: response.workEfficiency.answer,
    work_efficiency_details: response.workEfficiency.details,
    new_projects: response.newProjects.answer,
    new_projects_details: response.newProjects.details,
  });
}

/** The participant a row describes, under the id the importer chose for them. */
export function participantFromRow(row: ResponsesCsvRow, id: string): Participant {
  return Participant.parse({
    id,
    fullName: row.participant_name,
    email: row.participant_email,
    memberCode: row.administration,
    position: row.participant_position,
  });
}

/** The submitted response of a row (null for not-answered), under the ids the importer resolved. */
export function surveyResponseFromRow(
  row: ResponsesCsvRow,
  ids: { id: string; participantId: string; workshopId: string },
): SurveyResponse | null {
  if (row.status !== 'submitted') return null;
  return SurveyResponse.parse({
    ...ids,
    revision: row.revision ?? 1,
    status: 'submitted',
    actionsTaken: ACTION_KINDS.filter((k) => row[ACTION_COLUMNS[k]] === true),
    otherActions: row.other_actions,
    lessonsApplied: {
      operationalImprovement: row.operational_improvement,
      strategicEmpowerment: row.strategic_empowerment,
    },
    directEffects: { answer: row.direct_effects, details: row.direct_effects_details },
    workEfficiency: { answer: row.work_efficiency, details: row.work_efficiency_details },
    newProjects: { answer: row.new_projects, details: row.new_projects_details },
    submittedAt: row.submitted_at,
  });
}
