/**
 * The follow-up survey report: Tables 1-7 of the ROCB A/P "Good Practice
 * Report on Exemplifying Follow-Up Actions", computed from survey records.
 * Pure functions over shared types; server (exports) and client (dashboards)
 * both call them, so nothing here touches I/O, clocks or the network.
 */
import type { Workshop, WorkshopKind } from '../schemas/workshop';
import type { Participant, RosterEntry } from '../schemas/participant';
import type { ActionKind, SurveyResponse } from '../schemas/followup';
import { ACTION_KINDS } from '../schemas/followup';
import type { MemberCode } from '../schemas/member';

// ---------------------------------------------------------------------------
// Fiscal years

/** The office's fiscal year runs July-June, so '2021-03-15' falls in '2020/21'. */
export function fiscalYearOf(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-\d{2}/.exec(isoDate);
  if (!match) throw new Error(`Not a date: ${isoDate}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const startYear = month >= 7 ? year : year - 1;
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** First and last day of a fiscal year written as '2020/21'. */
export function fiscalYearRange(fiscalYear: string): { start: string; end: string } {
  const match = /^(\d{4})\/(\d{2})$/.exec(fiscalYear);
  if (!match || (Number(match[1]) + 1) % 100 !== Number(match[2])) {
    throw new Error(`Not a fiscal year such as 2020/21: ${fiscalYear}`);
  }
  const startYear = Number(match[1]);
  return { start: `${startYear}-07-01`, end: `${startYear + 1}-06-30` };
}

/**
 * Workshops whose first day falls in the fiscal year, in the order the report
 * numbers them: by first day, then title, so equal dates still sort stably.
 */
export function workshopsInFiscalYear(
  workshops: readonly Workshop[],
  fiscalYear: string,
  kinds: readonly WorkshopKind[] = ['regional', 'sub-regional'],
): Workshop[] {
  return workshops
    .filter((w) => fiscalYearOf(w.startDate) === fiscalYear && kinds.includes(w.kind))
    .sort((a, b) =>
      a.startDate === b.startDate ? a.title.localeCompare(b.title) : a.startDate < b.startDate ? -1 : 1,
    );
}

// ---------------------------------------------------------------------------
// Shared shapes

/** A count out of a total; percent is rounded to a whole number as the report prints it. */
export interface Share {
  count: number;
  of: number;
  /** Null when `of` is 0: a rate of nothing is not 0%. */
  percent: number | null;
}

export function share(count: number, of: number): Share {
  return { count, of, percent: of === 0 ? null : Math.round((100 * count) / of) };
}

export interface WorkshopRef {
  workshopId: string;
  title: string;
  kind: WorkshopKind;
}

export interface SurveyReportInput {
  /** The workshops to report on, in the order the rows should appear. */
  workshops: readonly Workshop[];
  /** Roster lines; participants per workshop are counted from these... */
  roster?: readonly RosterEntry[];
  /** ...unless a count is given here, for data that only kept the number. */
  participantCounts?: Readonly<Record<string, number>>;
  /** Looked up for each respondent's member code (Tables 4 and 7). */
  participants: readonly Participant[];
  /** Any responses: drafts, superseded revisions and other workshops are filtered out here. */
  responses: readonly SurveyResponse[];
}

/**
 * The responses that count: submitted ones, and of those only the latest
 * revision per participant and workshop, so an amendment replaces its
 * original instead of being counted twice. A later draft does not hide the
 * submitted answer it may one day amend.
 */
export function countedResponses(responses: readonly SurveyResponse[]): SurveyResponse[] {
  const latest = new Map<string, SurveyResponse>();
  for (const r of responses) {
    if (r.status !== 'submitted') continue;
    const key = `${r.participantId}|${r.workshopId}`;
    const seen = latest.get(key);
    if (!seen || r.revision > seen.revision) latest.set(key, r);
  }
  return [...latest.values()];
}

function refOf(w: Workshop): WorkshopRef {
  return { workshopId: w.id, title: w.title, kind: w.kind };
}

/** Responses grouped per reported workshop, in a stable order (by id) for member lists. */
function responsesByWorkshop(input: SurveyReportInput): Map<string, SurveyResponse[]> {
  const byWorkshop = new Map<string, SurveyResponse[]>(input.workshops.map((w) => [w.id, []]));
  for (const r of countedResponses(input.responses)) byWorkshop.get(r.workshopId)?.push(r);
  for (const list of byWorkshop.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return byWorkshop;
}

// ---------------------------------------------------------------------------
// Table 1: replies per workshop

export interface Table1Row extends WorkshopRef {
  participants: number;
  replies: number;
  replyRate: Share;
}

export interface Table1Totals {
  participants: number;
  replies: number;
  replyRate: Share;
}

export interface Table1 {
  rows: Table1Row[];
  /** One sub-total per workshop kind (the report prints sub-regional and regional). */
  subtotals: Record<WorkshopKind, Table1Totals>;
  total: Table1Totals;
}

function totalsOf(rows: readonly { participants: number; replies: number }[]): Table1Totals {
  const participants = rows.reduce((n, r) => n + r.participants, 0);
  const replies = rows.reduce((n, r) => n + r.replies, 0);
  return { participants, replies, replyRate: share(replies, participants) };
}

export function table1(input: SurveyReportInput): Table1 {
  const rosterCounts = new Map<string, Set<string>>();
  for (const entry of input.roster ?? []) {
    const set = rosterCounts.get(entry.workshopId) ?? new Set<string>();
    set.add(entry.participantId);
    rosterCounts.set(entry.workshopId, set);
  }
  const byWorkshop = responsesByWorkshop(input);
  const rows = input.workshops.map((w): Table1Row => {
    const participants = input.participantCounts?.[w.id] ?? rosterCounts.get(w.id)?.size ?? 0;
    const replies = byWorkshop.get(w.id)?.length ?? 0;
    return { ...refOf(w), participants, replies, replyRate: share(replies, participants) };
  });
  const kinds: WorkshopKind[] = ['regional', 'sub-regional', 'national', 'working-group'];
  const subtotals = Object.fromEntries(kinds.map((k) => [k, totalsOf(rows.filter((r) => r.kind === k))])) as Record<
    WorkshopKind,
    Table1Totals
  >;
  return { rows, subtotals, total: totalsOf(rows) };
}

// ---------------------------------------------------------------------------
// Table 2: follow-up actions taken

export type ActionCounts = Record<ActionKind, number>;

export interface Table2Row extends WorkshopRef {
  replies: number;
  actions: ActionCounts;
}

export interface Table2 {
  rows: Table2Row[];
  total: { replies: number; actions: ActionCounts; shareOfReplies: Record<ActionKind, Share> };
}

function zeroActions(): ActionCounts {
  return Object.fromEntries(ACTION_KINDS.map((k) => [k, 0])) as ActionCounts;
}

export function table2(input: SurveyReportInput): Table2 {
  const byWorkshop = responsesByWorkshop(input);
  const rows = input.workshops.map((w): Table2Row => {
    const responses = byWorkshop.get(w.id) ?? [];
    const actions = zeroActions();
    // A respondent ticking the same box twice still took that action once.
    for (const r of responses) for (const kind of new Set(r.actionsTaken)) actions[kind] += 1;
    return { ...refOf(w), replies: responses.length, actions };
  });
  const replies = rows.reduce((n, r) => n + r.replies, 0);
  const actions = zeroActions();
  for (const row of rows) for (const kind of ACTION_KINDS) actions[kind] += row.actions[kind];
  const shareOfReplies = Object.fromEntries(ACTION_KINDS.map((k) => [k, share(actions[k], replies)])) as Record<
    ActionKind,
    Share
  >;
  return { rows, total: { replies, actions, shareOfReplies } };
}

// ---------------------------------------------------------------------------
// Tables 3, 5, 6: yes/no questions

export interface YesNoRow extends WorkshopRef {
  replies: number;
  yes: number;
  no: number;
  /** Only Table 3 (direct effects) offers "not yet"; always 0 in Tables 5 and 6. */
  notYet: number;
}

export interface YesNoTable {
  rows: YesNoRow[];
  total: { replies: number; yes: Share; no: Share; notYet: Share };
}

type YesNoQuestion = 'directEffects' | 'workEfficiency' | 'newProjects';

function yesNoTable(input: SurveyReportInput, question: YesNoQuestion): YesNoTable {
  const byWorkshop = responsesByWorkshop(input);
  const rows = input.workshops.map((w): YesNoRow => {
    const responses = byWorkshop.get(w.id) ?? [];
    const count = (answer: string) => responses.filter((r) => r[question].answer === answer).length;
    return { ...refOf(w), replies: responses.length, yes: count('yes'), no: count('no'), notYet: count('not-yet') };
  });
  const sum = (pick: (r: YesNoRow) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const replies = sum((r) => r.replies);
  return {
    rows,
    total: {
      replies,
      yes: share(
        sum((r) => r.yes),
        replies,
      ),
      no: share(
        sum((r) => r.no),
        replies,
      ),
      notYet: share(
        sum((r) => r.notYet),
        replies,
      ),
    },
  };
}

/** Table 3: direct effects realised from applying the lessons learnt. */
export const table3 = (input: SurveyReportInput): YesNoTable => yesNoTable(input, 'directEffects');
/** Table 5: improvement in work efficiency and effectiveness. */
export const table5 = (input: SurveyReportInput): YesNoTable => yesNoTable(input, 'workEfficiency');
/** Table 6: initiation of new modernization projects. */
export const table6 = (input: SurveyReportInput): YesNoTable => yesNoTable(input, 'newProjects');

// ---------------------------------------------------------------------------
// Tables 4 and 7: which administrations did what, and the correlations

/**
 * One respondent in a member list. `marked` is the report's underline or
 * bold: in an action column it means the respondent also reached the
 * outcome; in the outcome column it means the respondent took one of the
 * actions.
 */
export interface MemberMark {
  participantId: string;
  /** Null when the respondent is not among the participants given. */
  memberCode: MemberCode | null;
  marked: boolean;
}

export interface CorrelationRow extends WorkshopRef {
  /** Respondents who took the first action (shared materials / submitted reports). */
  firstAction: MemberMark[];
  /** Respondents who took the second action (in-house workshop / recommendations). */
  secondAction: MemberMark[];
  /** Respondents who reached the outcome (direct effects / new projects). */
  outcome: MemberMark[];
}

export interface CorrelationTable {
  rows: CorrelationRow[];
  total: {
    firstAction: number;
    secondAction: number;
    outcome: number;
    /** Of those who took the first action, how many also reached the outcome. */
    firstActionLedToOutcome: Share;
    secondActionLedToOutcome: Share;
    /** Of those who reached the outcome, how many had taken either action. */
    outcomeAfterEitherAction: Share;
  };
}

function correlationTable(
  input: SurveyReportInput,
  first: ActionKind,
  second: ActionKind,
  outcome: (r: SurveyResponse) => boolean,
): CorrelationTable {
  const memberOf = new Map(input.participants.map((p) => [p.id, p.memberCode]));
  const byWorkshop = responsesByWorkshop(input);
  const mark = (r: SurveyResponse, marked: boolean): MemberMark => ({
    participantId: r.participantId,
    memberCode: memberOf.get(r.participantId) ?? null,
    marked,
  });
  const byMember = (a: MemberMark, b: MemberMark) => (a.memberCode ?? '~').localeCompare(b.memberCode ?? '~');

  const rows = input.workshops.map((w): CorrelationRow => {
    const responses = byWorkshop.get(w.id) ?? [];
    const took = (r: SurveyResponse, kind: ActionKind) => r.actionsTaken.includes(kind);
    return {
      ...refOf(w),
      firstAction: responses
        .filter((r) => took(r, first))
        .map((r) => mark(r, outcome(r)))
        .sort(byMember),
      secondAction: responses
        .filter((r) => took(r, second))
        .map((r) => mark(r, outcome(r)))
        .sort(byMember),
      outcome: responses
        .filter(outcome)
        .map((r) => mark(r, took(r, first) || took(r, second)))
        .sort(byMember),
    };
  });

  const count = (pick: (row: CorrelationRow) => MemberMark[], onlyMarked: boolean) =>
    rows.reduce((n, row) => n + pick(row).filter((m) => !onlyMarked || m.marked).length, 0);
  const firstTotal = count((r) => r.firstAction, false);
  const secondTotal = count((r) => r.secondAction, false);
  const outcomeTotal = count((r) => r.outcome, false);
  return {
    rows,
    total: {
      firstAction: firstTotal,
      secondAction: secondTotal,
      outcome: outcomeTotal,
      firstActionLedToOutcome: share(
        count((r) => r.firstAction, true),
        firstTotal,
      ),
      secondActionLedToOutcome: share(
        count((r) => r.secondAction, true),
        secondTotal,
      ),
      outcomeAfterEitherAction: share(
        count((r) => r.outcome, true),
        outcomeTotal,
      ),
    },
  };
}

/** Table 4: shared materials / organised in-house workshops vs realised direct effects. */
export const table4 = (input: SurveyReportInput): CorrelationTable =>
  correlationTable(input, 'share-materials', 'in-house-workshop', (r) => r.directEffects.answer === 'yes');

/** Table 7: submitted reports / made recommendations vs initiated new projects. */
export const table7 = (input: SurveyReportInput): CorrelationTable =>
  correlationTable(input, 'submit-report', 'make-recommendations', (r) => r.newProjects.answer === 'yes');

// ---------------------------------------------------------------------------

export interface SurveyReport {
  table1: Table1;
  table2: Table2;
  table3: YesNoTable;
  table4: CorrelationTable;
  table5: YesNoTable;
  table6: YesNoTable;
  table7: CorrelationTable;
}

export function surveyReport(input: SurveyReportInput): SurveyReport {
  return {
    table1: table1(input),
    table2: table2(input),
    table3: table3(input),
    table4: table4(input),
    table5: table5(input),
    table6: table6(input),
    table7: table7(input),
  };
}
