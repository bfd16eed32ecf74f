/**
 * One row of the responses CSV (columns.ts) as a zod schema: each cell read
 * from the text of a CSV cell or from the typed value of a JSON row (what
 * the export route answers), so one schema serves the import, the export
 * and its round trip; and the rules a row must meet as a whole, which are
 * the rules a submitted response meets on a device.
 */
import * as z from 'zod';
import { Id, requiredText, text } from '../../schemas/common';
import { ACTION_KINDS } from '../../schemas/followup';
import { isMemberCode } from '../members';
import { ACTION_COLUMNS, RESPONSES_CSV_COLUMNS, type ActionColumn, type ResponsesCsvColumn } from './columns';

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
      // Files exported before `not yet` was the one spelling wrote `not-yet`: both read the same.
      return lower === 'not-yet' ? 'not yet' : YES.has(lower) ? 'yes' : NO.has(lower) ? 'no' : lower;
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
  /** `not yet`, as the report and docs/responses-csv.md write it; the record stores `not-yet` (records.ts). */
  direct_effects: answer(['yes', 'no', 'not yet'] as const, 'Write yes, no or not yet.'),
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
