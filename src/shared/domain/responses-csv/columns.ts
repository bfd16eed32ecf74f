/**
 * The CSV column format of follow-up survey responses: the raw-responses
 * export of a fiscal year and the import of historic responses (the ones the
 * office collected by e-mail before Vaka). One row per participant on a
 * workshop roster, with their submitted answers, or status `not-answered` so
 * that roster sizes (Table 1's reply rates) travel with the answers. This
 * module is the column list alone, so the coordinator's screens can show it
 * without loading the row schema (row.ts) or the parser (parse.ts).
 */
import { ACTION_KINDS, type ActionKind } from '../../schemas/followup';

/** One column per action kind of the questionnaire, in the questionnaire's order. */
export const ACTION_COLUMNS = {
  'share-materials': 'action_share_materials',
  'submit-report': 'action_submit_report',
  'make-recommendations': 'action_make_recommendations',
  'in-house-workshop': 'action_in_house_workshop',
  'operational-manuals': 'action_operational_manuals',
  other: 'action_other',
} as const satisfies Record<ActionKind, string>;
export type ActionColumn = (typeof ACTION_COLUMNS)[ActionKind];

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
