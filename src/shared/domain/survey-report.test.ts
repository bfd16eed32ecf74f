/**
 * Unit tests for the survey report tables on small hand-made inputs: which
 * responses count, how rows and totals are formed, and the fiscal year.
 */
import { describe, expect, it } from 'vitest';
import { Workshop } from '../schemas/workshop';
import { Participant } from '../schemas/participant';
import { SurveyResponse, type ActionKind } from '../schemas/followup';
import {
  countedResponses,
  fiscalYearOf,
  fiscalYearRange,
  share,
  surveyReport,
  table1,
  table2,
  table3,
  table4,
  table5,
  table6,
  table7,
  workshopsInFiscalYear,
  type SurveyReportInput,
} from './survey-report';

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

function workshop(title: string, kind: Workshop['kind'], startDate: string) {
  return Workshop.parse({
    id: uuid(),
    title,
    kind,
    topic: 'Test',
    startDate,
    endDate: startDate,
    timeZone: 'Asia/Bangkok',
    mode: 'online',
    venue: null,
    organisers: ['ROCB A/P'],
  });
}

function participant(memberCode: string) {
  return Participant.parse({ id: uuid(), fullName: `Sample ${memberCode}`, memberCode });
}

interface Answers {
  actions?: ActionKind[];
  de?: 'yes' | 'no' | 'not-yet';
  we?: 'yes' | 'no';
  np?: 'yes' | 'no';
  revision?: number;
  status?: 'draft' | 'submitted';
}

function response(p: Participant, w: Workshop, a: Answers = {}) {
  return SurveyResponse.parse({
    id: uuid(),
    participantId: p.id,
    workshopId: w.id,
    revision: a.revision ?? 1,
    status: a.status ?? 'submitted',
    actionsTaken: a.actions ?? [],
    otherActions: a.actions?.includes('other') ? 'Something else' : '',
    directEffects: { answer: a.de ?? 'no' },
    workEfficiency: { answer: a.we ?? 'yes' },
    newProjects: { answer: a.np ?? 'no', details: a.np === 'yes' ? 'A project' : '' },
    submittedAt: a.status === 'draft' ? null : '2021-06-01T00:00:00Z',
  });
}

describe('fiscal years', () => {
  it('runs July to June', () => {
    expect(fiscalYearOf('2021-03-15')).toBe('2020/21');
    expect(fiscalYearOf('2021-06-30')).toBe('2020/21');
    expect(fiscalYearOf('2021-07-01')).toBe('2021/22');
    expect(fiscalYearOf('1999-12-31')).toBe('1999/00');
    expect(fiscalYearOf('2020-01-01T10:00:00Z')).toBe('2019/20');
  });

  it('gives the first and last day of a fiscal year', () => {
    expect(fiscalYearRange('2020/21')).toEqual({ start: '2020-07-01', end: '2021-06-30' });
    expect(() => fiscalYearRange('2020/22')).toThrow();
    expect(() => fiscalYearOf('March 2021')).toThrow();
  });

  it('selects and orders a fiscal year of workshops', () => {
    const b = workshop('B', 'regional', '2020-11-24');
    const a = workshop('A', 'sub-regional', '2020-11-24');
    const early = workshop('Early', 'regional', '2020-07-01');
    const national = workshop('National', 'national', '2020-08-01');
    const next = workshop('Next year', 'regional', '2021-07-01');
    expect(workshopsInFiscalYear([b, next, a, national, early], '2020/21').map((w) => w.title)).toEqual([
      'Early',
      'A',
      'B',
    ]);
    expect(workshopsInFiscalYear([b, national], '2020/21', ['national']).map((w) => w.title)).toEqual(['National']);
  });
});

describe('countedResponses', () => {
  const w = workshop('W', 'regional', '2020-11-10');
  const p = participant('FJ');

  it('ignores drafts and keeps only the latest submitted revision', () => {
    const first = response(p, w, { revision: 1, np: 'no' });
    const amended = response(p, w, { revision: 2, np: 'yes' });
    const laterDraft = response(p, w, { revision: 3, status: 'draft' });
    const counted = countedResponses([amended, laterDraft, first]);
    expect(counted).toHaveLength(1);
    expect(counted[0]!.id).toBe(amended.id);
  });

  it('counts a draft-only participant as no reply', () => {
    expect(countedResponses([response(p, w, { status: 'draft' })])).toEqual([]);
  });
});

describe('the tables', () => {
  const sub = workshop('Sub-regional PCA', 'sub-regional', '2020-11-10');
  const reg = workshop('Regional E-Commerce', 'regional', '2021-01-19');
  const empty = workshop('Nobody came', 'regional', '2021-02-01');
  const fj = participant('FJ');
  const to = participant('TO');
  const ws = participant('WS');
  const au = participant('AU');
  const id = participant('ID');
  const nonRespondent = participant('VU');

  const input: SurveyReportInput = {
    workshops: [sub, reg, empty],
    roster: [
      { workshopId: sub.id, participantId: fj.id },
      { workshopId: sub.id, participantId: to.id },
      { workshopId: sub.id, participantId: ws.id },
      { workshopId: sub.id, participantId: nonRespondent.id },
      { workshopId: reg.id, participantId: au.id },
      { workshopId: reg.id, participantId: id.id },
    ],
    participants: [fj, to, ws, au, id, nonRespondent],
    responses: [
      response(fj, sub, { actions: ['share-materials', 'in-house-workshop'], de: 'yes', np: 'no' }),
      response(to, sub, { actions: ['share-materials', 'share-materials', 'submit-report'], de: 'no', np: 'yes' }),
      response(ws, sub, { actions: ['make-recommendations'], de: 'not-yet', we: 'no', np: 'yes' }),
      response(au, reg, { actions: ['other', 'submit-report'], de: 'yes', np: 'no' }),
      // Superseded by the revision below, so its "yes" must not count.
      response(id, reg, { actions: ['share-materials'], de: 'yes', np: 'yes', revision: 1 }),
      response(id, reg, { actions: [], de: 'no', np: 'no', revision: 2 }),
      // A response to a workshop outside the report is ignored.
      response(fj, workshop('Other', 'regional', '2021-03-01'), { de: 'yes' }),
    ],
  };

  it('Table 1 counts participants and replies with sub-totals per kind', () => {
    const t = table1(input);
    expect(t.rows.map((r) => [r.title, r.participants, r.replies, r.replyRate.percent])).toEqual([
      ['Sub-regional PCA', 4, 3, 75],
      ['Regional E-Commerce', 2, 2, 100],
      ['Nobody came', 0, 0, null],
    ]);
    expect(t.subtotals['sub-regional']).toEqual({ participants: 4, replies: 3, replyRate: share(3, 4) });
    expect(t.subtotals.regional).toEqual({ participants: 2, replies: 2, replyRate: share(2, 2) });
    expect(t.subtotals.national.participants).toBe(0);
    expect(t.total).toEqual({ participants: 6, replies: 5, replyRate: { count: 5, of: 6, percent: 83 } });
  });

  it('Table 1 takes participant counts when given instead of a roster', () => {
    const t = table1({ ...input, roster: [], participantCounts: { [sub.id]: 6, [reg.id]: 25 } });
    expect(t.rows.map((r) => r.participants)).toEqual([6, 25, 0]);
    expect(t.total.participants).toBe(31);
  });

  it('Table 2 counts each respondent once per action kind', () => {
    const t = table2(input);
    expect(t.rows[0]!.actions).toEqual({
      'share-materials': 2,
      'submit-report': 1,
      'make-recommendations': 1,
      'in-house-workshop': 1,
      'operational-manuals': 0,
      other: 0,
    });
    expect(t.rows[1]!.actions['share-materials']).toBe(0);
    expect(t.rows[1]!.actions.other).toBe(1);
    expect(t.total.actions['submit-report']).toBe(2);
    expect(t.total.replies).toBe(5);
    expect(t.total.shareOfReplies['share-materials']).toEqual({ count: 2, of: 5, percent: 40 });
  });

  it('Tables 3, 5 and 6 count yes, no and not yet, with totals from the rows', () => {
    const t3 = table3(input);
    expect(t3.rows.map((r) => [r.replies, r.yes, r.no, r.notYet])).toEqual([
      [3, 1, 1, 1],
      [2, 1, 1, 0],
      [0, 0, 0, 0],
    ]);
    expect(t3.total).toEqual({ replies: 5, yes: share(2, 5), no: share(2, 5), notYet: share(1, 5) });
    expect(table5(input).total.no.count).toBe(1);
    expect(table5(input).rows[0]!.notYet).toBe(0);
    const t6 = table6(input);
    expect(t6.rows.map((r) => r.yes)).toEqual([2, 0, 0]);
    expect(t6.total.yes).toEqual({ count: 2, of: 5, percent: 40 });
  });

  it('Table 4 lists member codes and marks those who also realised effects', () => {
    const t = table4(input);
    const row = t.rows[0]!;
    expect(row.firstAction.map((m) => [m.memberCode, m.marked])).toEqual([
      ['FJ', true],
      ['TO', false],
    ]);
    expect(row.secondAction.map((m) => [m.memberCode, m.marked])).toEqual([['FJ', true]]);
    expect(row.outcome.map((m) => [m.memberCode, m.marked])).toEqual([['FJ', true]]);
    // AU realised effects without sharing or an in-house workshop: listed, not marked.
    expect(t.rows[1]!.outcome.map((m) => [m.memberCode, m.marked])).toEqual([['AU', false]]);
    expect(t.total).toEqual({
      firstAction: 2,
      secondAction: 1,
      outcome: 2,
      firstActionLedToOutcome: share(1, 2),
      secondActionLedToOutcome: share(1, 1),
      outcomeAfterEitherAction: share(1, 2),
    });
  });

  it('Table 7 relates reports and recommendations to new projects', () => {
    const t = table7(input);
    expect(t.rows[0]!.firstAction.map((m) => [m.memberCode, m.marked])).toEqual([['TO', true]]);
    expect(t.rows[0]!.secondAction.map((m) => [m.memberCode, m.marked])).toEqual([['WS', true]]);
    expect(t.rows[0]!.outcome.map((m) => m.memberCode)).toEqual(['TO', 'WS']);
    expect(t.total.outcomeAfterEitherAction).toEqual(share(2, 2));
    expect(t.total.firstActionLedToOutcome).toEqual({ count: 1, of: 2, percent: 50 });
  });

  it('gives a null member code for a respondent missing from the participants', () => {
    const t = table4({ ...input, participants: [] });
    expect(t.rows[0]!.firstAction.every((m) => m.memberCode === null)).toBe(true);
  });

  it('surveyReport bundles all seven tables', () => {
    const report = surveyReport(input);
    expect(report.table1.total.replies).toBe(5);
    expect(report.table7.rows).toHaveLength(3);
  });

  it('share rounds to whole percent and refuses to divide by zero', () => {
    expect(share(58, 153)).toEqual({ count: 58, of: 153, percent: 38 });
    expect(share(1, 8).percent).toBe(13);
    expect(share(0, 0).percent).toBeNull();
  });
});
