/**
 * The report grids and their CSV: rows, sub-totals and totals come out in
 * the report's layout, marks survive into the export, and the CSV opens as
 * UTF-8 with the header first; the raw responses export keeps its columns.
 */
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { surveyReport, type SurveyReportInput } from '../../shared/domain/survey-report';
import { ACTION_COLUMNS, RESPONSES_CSV_COLUMNS } from '../../shared/domain/responses-csv/columns';
import { parseResponsesCsv } from '../../shared/domain/responses-csv/parse';
import type { SurveyResponse } from '../../shared/schemas/followup';
import type { Workshop } from '../../shared/schemas/workshop';
import { exportFileName, gridToCsv, responsesToCsv } from './csv';
import { examplesGrid, indicatorsGrid, reportGrid, type Translate } from './report-grids';

/** Echoes the key and its values, so tests read which label went where. */
const t: Translate = (key, options) => (options ? `${key}${JSON.stringify(options)}` : key);

function workshop(id: string, kind: Workshop['kind'], startDate: string): Workshop {
  return {
    id,
    title: `Workshop ${id.slice(0, 1)}`,
    kind,
    topic: 'T',
    summary: '',
    startDate,
    endDate: startDate,
    timeZone: 'Asia/Bangkok',
    mode: 'online',
    venue: null,
    organisers: ['WCO'],
    sponsor: null,
    administrations: [],
    surveyOpensAfterMonths: 6,
    surveyDueAfterDays: 21,
    status: 'published',
    translations: {},
    toolSlugs: [],
  };
}

function response(n: number, workshopId: string, over: Partial<SurveyResponse> = {}): SurveyResponse {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    participantId: `p${n}`,
    workshopId,
    revision: 1,
    supersedes: null,
    status: 'submitted',
    actionsTaken: ['share-materials'],
    otherActions: '',
    lessonsApplied: { operationalImprovement: `lesson ${n}`, strategicEmpowerment: '' },
    directEffects: { answer: 'yes', details: `effect ${n}` },
    workEfficiency: { answer: 'yes', details: '' },
    newProjects: { answer: 'no', details: '' },
    submittedAt: '2021-06-01T00:00:00Z',
    ...over,
  };
}

const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';
const input: SurveyReportInput = {
  workshops: [workshop(A, 'sub-regional', '2020-11-10'), workshop(B, 'regional', '2020-12-01')],
  participantCounts: { [A]: 4, [B]: 10 },
  participants: [
    { id: 'p1', fullName: 'One', email: null, memberCode: 'FJ', position: '' },
    { id: 'p2', fullName: 'Two', email: null, memberCode: 'TO', position: '' },
    { id: 'p3', fullName: 'Three', email: null, memberCode: 'TH', position: '' },
  ],
  responses: [
    response(1, A),
    response(2, A, { actionsTaken: ['in-house-workshop'], directEffects: { answer: 'no', details: '' } }),
    response(3, B, { directEffects: { answer: 'not-yet', details: '' } }),
  ],
};
const report = surveyReport(input);

describe('report grids', () => {
  it('Table 1 has a row per workshop, then the sub-totals and the total', () => {
    const grid = reportGrid(report, 'table1', t);
    expect(grid.head).toHaveLength(6);
    expect(grid.body).toEqual([
      [1, 'Workshop a', 'kind.sub-regional', 4, 2, 50],
      [2, 'Workshop b', 'kind.regional', 10, 1, 10],
    ]);
    expect(grid.foot.map((r) => r.slice(3))).toEqual([
      [4, 2, 50],
      [10, 1, 10],
      [14, 3, 21],
    ]);
    expect(grid.foot[0]![1]).toBe('report.subtotal{"kind":"kind.sub-regional"}');
  });

  it('Table 2 counts each action and its share of all replies', () => {
    const grid = reportGrid(report, 'table2', t);
    expect(grid.head.slice(3)).toEqual([
      'action.share-materials',
      'action.submit-report',
      'action.make-recommendations',
      'action.in-house-workshop',
      'action.operational-manuals',
      'action.other',
    ]);
    expect(grid.foot[0]).toEqual([null, 'report.total', 3, 2, 0, 0, 1, 0, 0]);
    expect(grid.foot[1]).toEqual([null, 'report.shareOfReplies', null, 67, 0, 0, 33, 0, 0]);
  });

  it('Table 3 keeps "not yet"; Tables 5 and 6 do not', () => {
    expect(reportGrid(report, 'table3', t).body[1]).toEqual([2, 'Workshop b', 1, 0, 0, 1]);
    expect(reportGrid(report, 'table5', t).head).toHaveLength(5);
    expect(reportGrid(report, 'table6', t).foot[1]).toEqual([null, 'report.percentOfReplies', null, 0, 100]);
  });

  it('Table 4 lists members with the report marks as asterisks', () => {
    const grid = reportGrid(report, 'table4', t);
    expect(grid.body[0]).toEqual([1, 'Workshop a', 'FJ*', 'TO', 'FJ*']);
    // Counts and percentages on rows of their own, each cell one number.
    expect(grid.foot.slice(1)).toEqual([
      [null, 'report.table4.ledTo', 1, 0, null],
      [null, 'report.percentRow{"label":"report.table4.ledTo"}', 50, 0, null],
      [null, 'report.table4.attributed', null, null, 1],
      [null, 'report.percentRow{"label":"report.table4.attributed"}', null, null, 100],
    ]);
    expect(grid.percent).toEqual({ footRows: [2, 4] });
  });

  it('examples follow the report groups, and indicators compare with the plan targets', () => {
    const examples = examplesGrid(
      {
        otherActions: [],
        operationalImprovement: [{ text: 'lesson 1', member: 'Fiji', workshopTitle: 'Workshop a', workshopId: A }],
        strategicEmpowerment: [],
        directEffects: [{ text: 'effect 1', member: 'Fiji', workshopTitle: 'Workshop a', workshopId: A }],
        workEfficiency: [],
        newProjects: [],
      },
      t,
    );
    expect(examples.body.map((r) => r[0])).toEqual([
      'report.examples.operationalImprovement.title',
      'report.examples.directEffects.title',
    ]);
    const indicators = indicatorsGrid(
      {
        postActions: 3,
        tangibleResults: 1,
        successStories: [],
        evaluation: { responses: 0, average: null, target: 4, met: null },
      },
      t,
    );
    expect(indicators.body.map((r) => r[3])).toEqual([
      'report.indicators.met',
      'report.indicators.notMet',
      'report.indicators.noData',
    ]);
  });
});

describe('CSV export', () => {
  it('starts with a byte-order mark and reads back as the grid', () => {
    const grid = reportGrid(report, 'table1', t);
    const csv = gridToCsv(grid);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    expect(parsed.data[0]).toEqual(grid.head);
    expect(parsed.data).toHaveLength(1 + grid.body.length + grid.foot.length);
    expect(parsed.data[1]).toEqual(['1', 'Workshop a', 'kind.sub-regional', '4', '2', '50']);
    expect(parsed.data.at(-1)![1]).toBe('report.total');
  });

  it('quotes commas and quotes in titles', () => {
    const csv = gridToCsv({ head: ['a'], body: [['Free Zone, "FZ"']], foot: [] });
    expect(csv).toContain('"Free Zone, ""FZ"""');
  });

  it('names files without slashes', () => {
    expect(exportFileName('2020/21', 'table1', 'csv')).toBe('vaka-survey-2020-21-table1.csv');
    expect(exportFileName('2020/21', 'all-tables', 'xlsx')).toBe('vaka-survey-2020-21-all-tables.xlsx');
  });

  it('writes raw responses in the column order, with empty cells for missing values', () => {
    const csv = responsesToCsv(
      ['workshop', 'member', 'directEffects', 'late'],
      [
        { workshop: 'PCA, "Pacific"', member: 'FJ', directEffects: '=1+1', late: false },
        { workshop: 'HS', member: null, late: true },
      ],
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data).toEqual([
      ['workshop', 'member', 'directEffects', 'late'],
      // A spreadsheet would run "=1+1": the apostrophe keeps it text.
      ['PCA, "Pacific"', 'FJ', "'=1+1", 'no'],
      ['HS', '', '', 'yes'],
    ]);
    // The import template: the header row alone.
    expect(responsesToCsv(['a', 'b'], [])).toBe('\uFEFFa,b\r\n');
  });

  it('exports responses in the format the import reads back', () => {
    const row: Record<string, string | number | boolean | null> = {
      fiscal_year: '2020/21',
      workshop_id: A,
      workshop_title: 'WCO Sub-regional Workshop on PCA (Pacific)',
      participant_id: '11111111-1111-4111-8111-111111111111',
      participant_name: 'Mele Taufa',
      participant_email: null,
      participant_position: 'Auditor',
      administration: 'TO',
      response_id: '22222222-2222-4222-8222-222222222222',
      status: 'submitted',
      revision: 1,
      submitted_at: '2021-05-15T06:17:00.000Z',
      ...Object.fromEntries(Object.values(ACTION_COLUMNS).map((c) => [c, c === 'action_share_materials'])),
      other_actions: '',
      operational_improvement: '-20% release time, after "risk" profiling',
      strategic_empowerment: '',
      direct_effects: 'not yet',
      direct_effects_details: '',
      work_efficiency: 'yes',
      work_efficiency_details: '',
      new_projects: 'no',
      new_projects_details: '',
    };
    const parsed = parseResponsesCsv(responsesToCsv(RESPONSES_CSV_COLUMNS, [row]));
    expect(parsed.ok && parsed.rows).toEqual([row]);
  });
});
