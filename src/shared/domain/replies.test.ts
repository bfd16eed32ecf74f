import { describe, expect, it } from 'vitest';
import { reminderRecipients, replySummary } from './replies';
import { planIndicators, surveyExamples } from './survey-examples';
import { SurveyResponse, Evaluation } from '../schemas/followup';
import { Workshop } from '../schemas/workshop';
import type { Participant } from '../schemas/participant';

const W = '00000000-0000-4000-8000-000000000001';
const people: Participant[] = [
  {
    id: '00000000-0000-4000-8000-0000000000a1',
    fullName: 'Ana',
    email: 'ana@example.org',
    memberCode: 'TO',
    position: '',
  },
  {
    id: '00000000-0000-4000-8000-0000000000a2',
    fullName: 'Ben',
    email: 'ben@example.org',
    memberCode: 'FJ',
    position: '',
  },
  { id: '00000000-0000-4000-8000-0000000000a3', fullName: 'Cai', email: null, memberCode: 'FJ', position: '' },
  {
    id: '00000000-0000-4000-8000-0000000000a4',
    fullName: 'Dev',
    email: 'dev@example.org',
    memberCode: 'IN',
    position: '',
  },
];
const submitted = (p: string, extra: Record<string, unknown> = {}) =>
  SurveyResponse.parse({
    id: crypto.randomUUID(),
    participantId: p,
    workshopId: W,
    status: 'submitted',
    submittedAt: '2022-12-01T00:00:00.000Z',
    actionsTaken: ['share-materials', 'submit-report'],
    directEffects: { answer: 'yes', details: 'Faster release of cargo.' },
    workEfficiency: { answer: 'yes', details: '' },
    newProjects: { answer: 'no', details: '' },
    ...extra,
  });

describe('reply summary', () => {
  const responses = [
    submitted(people[0]!.id),
    SurveyResponse.parse({ id: crypto.randomUUID(), participantId: people[1]!.id, workshopId: W }),
  ];
  const summary = replySummary(W, people, responses, new Map([[people[1]!.id, '2022-11-30T00:00:00.000Z']]));

  it('tells submitted, started and not started apart', () => {
    const state = Object.fromEntries(summary.participants.map((p) => [p.fullName, p.state]));
    expect(state).toEqual({ Ana: 'submitted', Ben: 'draft', Cai: 'none', Dev: 'none' });
    expect(summary.participants.find((p) => p.fullName === 'Ben')?.lastContact).toBe('2022-11-30T00:00:00.000Z');
  });

  it('rates against the roster by administration and sub-region', () => {
    expect(summary.totals).toMatchObject({ roster: 4, submitted: 1, draft: 1, rate: { count: 1, of: 4, percent: 25 } });
    expect(summary.byAdministration.find((g) => g.key === 'FJ')).toMatchObject({ roster: 2, submitted: 0, draft: 1 });
    expect(summary.bySubRegion.map((g) => [g.key, g.roster, g.submitted])).toEqual([
      ['PI', 3, 1],
      ['SA', 1, 0],
    ]);
  });

  it('lists reminder e-mails of those who have not submitted', () => {
    expect(reminderRecipients(summary)).toEqual(['ben@example.org', 'dev@example.org']);
  });
});

describe('examples and plan indicators', () => {
  const workshop = Workshop.parse({
    id: W,
    title: 'WCO Sub-regional Workshop on PCA (Pacific)',
    kind: 'sub-regional',
    topic: 'PCA',
    startDate: '2020-11-10',
    endDate: '2020-11-12',
    timeZone: 'Pacific/Fiji',
    mode: 'online',
    venue: null,
    organisers: ['ROCB A/P'],
  });
  const responses = [
    submitted(people[0]!.id, {
      lessonsApplied: { operationalImprovement: 'Fast releasing of import cargo', strategicEmpowerment: '' },
    }),
    submitted(people[3]!.id, {
      directEffects: { answer: 'no', details: 'ignored because no' },
      newProjects: { answer: 'yes', details: 'Launched AEO project' },
    }),
  ];
  it('groups quoted examples as the report does, with the member name', () => {
    const ex = surveyExamples([workshop], people, responses);
    expect(ex.operationalImprovement).toEqual([
      { text: 'Fast releasing of import cargo', member: 'Tonga', workshopTitle: workshop.title, workshopId: W },
    ]);
    expect(ex.directEffects.map((e) => e.member)).toEqual(['Tonga']);
    expect(ex.newProjects.map((e) => e.text)).toEqual(['Launched AEO project']);
  });
  it('computes the Strategic Action Plan indicators', () => {
    const evals = [4, 5, 3].map((overall, i) =>
      Evaluation.parse({
        id: crypto.randomUUID(),
        participantId: people[i]!.id,
        workshopId: W,
        overall,
        relevance: 4,
        materials: 4,
        facilitation: 4,
      }),
    );
    const ind = planIndicators([workshop], people, responses, evals);
    expect(ind.postActions).toBe(4);
    expect(ind.tangibleResults).toBe(1);
    expect(ind.evaluation).toEqual({ responses: 3, average: 4, target: 4, met: true });
    expect(planIndicators([workshop], people, [], []).evaluation).toEqual({
      responses: 0,
      average: null,
      target: 4,
      met: null,
    });
  });
});
