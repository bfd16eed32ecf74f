/**
 * The survey report's tables as plain grids (header, rows, total rows) in
 * the coordinator's language: the report screen renders them and the CSV
 * and XLSX exports write them, so what is exported is exactly what is shown.
 * Numbers stay numbers (a spreadsheet can sum them); percentages are whole
 * numbers in their own "(%)" columns or rows, as the report prints them, and
 * each grid says where they are so the XLSX export can format them as
 * percentages. In Tables 4 and 7 an asterisk marks the report's
 * underline/bold. Pure.
 */
import type { ActionKind } from '../../shared/schemas/followup';
import { ACTION_KINDS } from '../../shared/schemas/followup';
import type { SurveyExamples, PlanIndicators } from '../../shared/domain/survey-examples';
import type {
  CorrelationTable,
  MemberMark,
  Share,
  SurveyReport,
  Table1,
  Table2,
  YesNoTable,
} from '../../shared/domain/survey-report';

export type Cell = string | number | null;

export interface Grid {
  head: string[];
  body: Cell[][];
  /** Sub-totals and totals, shown apart from the rows. */
  foot: Cell[][];
  /** Where the numbers are percentages (whole numbers, 38 for 38%): whole columns, or rows of `foot`. */
  percent?: { columns?: readonly number[]; footRows?: readonly number[] };
}

export type Translate = (key: string, options?: Record<string, string | number>) => string;

export type TableKey = keyof SurveyReport;

const pct = (s: Share): number | null => s.percent;

function kindLabel(t: Translate, kind: string): string {
  return t(`kind.${kind}`);
}

export function table1Grid(table: Table1, t: Translate): Grid {
  const head = [
    t('report.col.no'),
    t('report.col.workshop'),
    t('report.col.kind'),
    t('report.col.participants'),
    t('report.col.replies'),
    t('report.col.replyRate'),
  ];
  const body = table.rows.map((r, i): Cell[] => [
    i + 1,
    r.title,
    kindLabel(t, r.kind),
    r.participants,
    r.replies,
    pct(r.replyRate),
  ]);
  const foot: Cell[][] = [];
  for (const kind of ['sub-regional', 'regional', 'national', 'working-group'] as const) {
    const sub = table.subtotals[kind];
    // The report prints the two kinds it surveys; the others only when present.
    if (sub.participants === 0 && kind !== 'sub-regional' && kind !== 'regional') continue;
    foot.push([
      null,
      t('report.subtotal', { kind: kindLabel(t, kind) }),
      null,
      sub.participants,
      sub.replies,
      pct(sub.replyRate),
    ]);
  }
  foot.push([null, t('report.total'), null, table.total.participants, table.total.replies, pct(table.total.replyRate)]);
  return { head, body, foot, percent: { columns: [5] } };
}

export function actionLabel(t: Translate, kind: ActionKind): string {
  return t(`action.${kind}`);
}

export function table2Grid(table: Table2, t: Translate): Grid {
  const head = [
    t('report.col.no'),
    t('report.col.workshop'),
    t('report.col.replies'),
    ...ACTION_KINDS.map((k) => actionLabel(t, k)),
  ];
  const body = table.rows.map((r, i): Cell[] => [i + 1, r.title, r.replies, ...ACTION_KINDS.map((k) => r.actions[k])]);
  const foot: Cell[][] = [
    [null, t('report.total'), table.total.replies, ...ACTION_KINDS.map((k) => table.total.actions[k])],
    [null, t('report.shareOfReplies'), null, ...ACTION_KINDS.map((k) => pct(table.total.shareOfReplies[k]))],
  ];
  return { head, body, foot, percent: { footRows: [1] } };
}

export function yesNoGrid(table: YesNoTable, t: Translate, withNotYet: boolean): Grid {
  const head = [
    t('report.col.no'),
    t('report.col.workshop'),
    t('report.col.replies'),
    t('report.col.yes'),
    t('report.col.answerNo'),
    ...(withNotYet ? [t('report.col.notYet')] : []),
  ];
  const body = table.rows.map((r, i): Cell[] => [
    i + 1,
    r.title,
    r.replies,
    r.yes,
    r.no,
    ...(withNotYet ? [r.notYet] : []),
  ]);
  const { total } = table;
  const foot: Cell[][] = [
    [
      null,
      t('report.total'),
      total.replies,
      total.yes.count,
      total.no.count,
      ...(withNotYet ? [total.notYet.count] : []),
    ],
    [
      null,
      t('report.percentOfReplies'),
      null,
      pct(total.yes),
      pct(total.no),
      ...(withNotYet ? [pct(total.notYet)] : []),
    ],
  ];
  return { head, body, foot, percent: { footRows: [1] } };
}

export function memberList(marks: readonly MemberMark[]): string {
  return marks.map((m) => `${m.memberCode ?? '?'}${m.marked ? '*' : ''}`).join(', ');
}

export interface CorrelationLabels {
  first: string;
  second: string;
  outcome: string;
  /** "Actions presumably led to the outcome". */
  ledTo: string;
  /** "Outcome presumably attributed to either action". */
  attributed: string;
}

export function correlationLabels(key: 'table4' | 'table7', t: Translate): CorrelationLabels {
  return {
    first: t(`report.${key}.first`),
    second: t(`report.${key}.second`),
    outcome: t(`report.${key}.outcome`),
    ledTo: t(`report.${key}.ledTo`),
    attributed: t(`report.${key}.attributed`),
  };
}

export function correlationGrid(table: CorrelationTable, labels: CorrelationLabels, t: Translate): Grid {
  const head = [t('report.col.no'), t('report.col.workshop'), labels.first, labels.second, labels.outcome];
  const body = table.rows.map((r, i): Cell[] => [
    i + 1,
    r.title,
    memberList(r.firstAction),
    memberList(r.secondAction),
    memberList(r.outcome),
  ]);
  const { total } = table;
  const led = [total.firstActionLedToOutcome, total.secondActionLedToOutcome] as const;
  const either = total.outcomeAfterEitherAction;
  // Counts and their percentages on rows of their own, so each cell holds one number.
  const foot: Cell[][] = [
    [null, t('report.total'), total.firstAction, total.secondAction, total.outcome],
    [null, labels.ledTo, led[0].count, led[1].count, null],
    [null, t('report.percentRow', { label: labels.ledTo }), pct(led[0]), pct(led[1]), null],
    [null, labels.attributed, null, null, either.count],
    [null, t('report.percentRow', { label: labels.attributed }), null, null, pct(either)],
  ];
  return { head, body, foot, percent: { footRows: [2, 4] } };
}

export function reportGrid(report: SurveyReport, key: TableKey, t: Translate): Grid {
  switch (key) {
    case 'table1':
      return table1Grid(report.table1, t);
    case 'table2':
      return table2Grid(report.table2, t);
    case 'table3':
      return yesNoGrid(report.table3, t, true);
    case 'table5':
      return yesNoGrid(report.table5, t, false);
    case 'table6':
      return yesNoGrid(report.table6, t, false);
    case 'table4':
    case 'table7':
      return correlationGrid(report[key], correlationLabels(key, t), t);
  }
}

/** The report's example groups, in its order (sections 2.2 to 2.6). */
export const EXAMPLE_GROUPS = [
  'otherActions',
  'operationalImprovement',
  'strategicEmpowerment',
  'directEffects',
  'workEfficiency',
  'newProjects',
] as const satisfies readonly (keyof SurveyExamples)[];

export function examplesGrid(examples: SurveyExamples, t: Translate): Grid {
  const head = [t('report.col.group'), t('report.col.example'), t('report.col.member'), t('report.col.workshop')];
  const body: Cell[][] = [];
  for (const group of EXAMPLE_GROUPS)
    for (const e of examples[group])
      body.push([t(`report.examples.${group}.title`), e.text, e.member, e.workshopTitle]);
  return { head, body, foot: [] };
}

/** The Strategic Action Plan 2022-2024 targets these figures answer (actions 3.2.1 h, i, j). */
export const TANGIBLE_RESULTS_TARGET = 10;
export const POST_ACTIONS_TARGET = 1;

export function indicatorsGrid(indicators: PlanIndicators, t: Translate): Grid {
  const yesNo = (met: boolean | null) =>
    met === null ? t('report.indicators.noData') : met ? t('report.indicators.met') : t('report.indicators.notMet');
  const head = [t('report.col.indicator'), t('report.col.value'), t('report.col.target'), t('report.col.met')];
  const body: Cell[][] = [
    [
      t('report.indicators.postActions'),
      indicators.postActions,
      t('report.indicators.postActionsTarget'),
      yesNo(indicators.postActions >= POST_ACTIONS_TARGET),
    ],
    [
      t('report.indicators.tangibleResults'),
      indicators.tangibleResults,
      t('report.indicators.tangibleResultsTarget', { count: TANGIBLE_RESULTS_TARGET }),
      yesNo(indicators.tangibleResults >= TANGIBLE_RESULTS_TARGET),
    ],
    [
      t('report.indicators.evaluation'),
      indicators.evaluation.average ?? t('report.indicators.noData'),
      t('report.indicators.evaluationTarget', { target: indicators.evaluation.target }),
      yesNo(indicators.evaluation.met),
    ],
  ];
  return { head, body, foot: [] };
}
