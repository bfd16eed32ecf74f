/**
 * Every record schema with a valid example and the invalid cases people
 * actually produce, checking that each error names the field at fault.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { Member } from './member';
import { AgendaSession, Material, ToolSummary, Workshop } from './workshop';
import { Participant, RosterEntry } from './participant';
import { Evaluation, FollowUpAction, SurveyResponse } from './followup';
import { ContentPackFile } from './content-pack';
import { EnrollRequest, Mutation, SyncRequest } from '../sync/protocol';
import { MEMBERS } from '../domain/members';

const W = '0192f7c4-1b2a-7c3d-8e4f-5a6b7c8d9e0f';
const P = '0192f7c4-1b2a-7c3d-8e4f-5a6b7c8d9e1f';
const sha = 'a'.repeat(64);

function issuesOf(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const workshop = {
  id: W,
  title: 'WCO Asia/Pacific Sub-regional Data Analytics Hybrid Workshop for Pacific Islands',
  kind: 'sub-regional',
  topic: 'Data analytics',
  startDate: '2022-06-14',
  endDate: '2022-06-16',
  timeZone: 'Pacific/Fiji',
  mode: 'hybrid',
  venue: { city: 'Nadi', country: 'Fiji' },
  organisers: ['WCO', 'ROCB A/P'],
  sponsor: 'Korea Customs Service',
  administrations: ['FJ', 'PG', 'WS', 'VU'],
};

describe('member administrations', () => {
  it('lists the 33 members in their four sub-regions', () => {
    expect(MEMBERS).toHaveLength(33);
    expect(new Set(MEMBERS.map((m) => m.code)).size).toBe(33);
    const count = (r: string) => MEMBERS.filter((m) => m.subRegion === r).length;
    expect([count('ECWA'), count('PI'), count('SA'), count('SEA')]).toEqual([9, 8, 6, 10]);
    for (const m of MEMBERS) expect(Member.parse(m)).toEqual(m);
  });
  it('refuses an unknown sub-region or a malformed code', () => {
    expect(issuesOf(Member, { code: 'FJI', name: 'Fiji', subRegion: 'PI' })).toEqual([
      expect.stringMatching(/^code: /),
    ]);
    expect(issuesOf(Member, { code: 'FJ', name: 'Fiji', subRegion: 'Oceania' })).toEqual([
      expect.stringMatching(/^subRegion: /),
    ]);
  });
});

describe('workshop', () => {
  it('accepts a full workshop and fills survey defaults (6 months, 21 days)', () => {
    const w = Workshop.parse(workshop);
    expect(w.surveyOpensAfterMonths).toBe(6);
    expect(w.surveyDueAfterDays).toBe(21);
    expect(w.status).toBe('published');
  });
  it('names the field at fault', () => {
    expect(issuesOf(Workshop, { ...workshop, endDate: '2022-06-13' })).toEqual([
      'endDate: The last day cannot be before the first day.',
    ]);
    expect(issuesOf(Workshop, { ...workshop, timeZone: 'Fiji Time' })).toEqual([
      'timeZone: Must be an IANA time zone such as Pacific/Fiji.',
    ]);
    expect(issuesOf(Workshop, { ...workshop, startDate: '14/06/2022' })).toEqual([
      expect.stringMatching(/^startDate: .*YYYY-MM-DD/),
    ]);
    expect(issuesOf(Workshop, { ...workshop, mode: 'in-person', venue: null })).toEqual([
      'venue: An in-person or hybrid workshop needs a venue.',
    ]);
    expect(issuesOf(Workshop, { ...workshop, kind: 'global' })).toEqual([expect.stringMatching(/^kind: /)]);
    expect(issuesOf(Workshop, { ...workshop, organisers: [] })).toEqual(['organisers: Name at least one organiser.']);
    expect(issuesOf(Workshop, { ...workshop, title: '   ' })).toEqual(['title: This field is required.']);
  });
  it('allows an online workshop without a venue', () => {
    expect(issuesOf(Workshop, { ...workshop, mode: 'online', venue: null })).toEqual([]);
  });
});

describe('agenda session, material, tool summary', () => {
  const session = { id: P, workshopId: W, date: '2022-06-14', start: '09:00', end: '10:30', title: 'Opening' };
  it('accepts valid records', () => {
    expect(AgendaSession.parse(session).status).toBe('scheduled');
    expect(
      Material.parse({
        id: P,
        workshopId: W,
        title: 'Slides',
        language: 'en',
        mediaType: 'application/pdf',
        byteSize: 2048,
        sha256: sha,
        version: 1,
      }).audience,
    ).toBe('public');
    expect(
      ToolSummary.parse({
        id: P,
        slug: 'safe-fos',
        title: 'SAFE Framework of Standards',
        body: 'Adopted in 2005.',
        officialUrl: 'https://www.wcoomd.org/',
      }).tags,
    ).toEqual([]);
  });
  it('rejects impossible times, bad digests and insecure links', () => {
    expect(issuesOf(AgendaSession, { ...session, end: '08:00' })).toEqual(['end: A session must end after it starts.']);
    expect(issuesOf(AgendaSession, { ...session, start: '9am' })).toEqual([expect.stringMatching(/^start: .*HH:MM/)]);
    expect(
      issuesOf(Material, {
        id: P,
        workshopId: W,
        title: 'x',
        language: 'English',
        mediaType: 'pdf',
        byteSize: 0,
        sha256: 'abc',
        version: 0,
      }),
    ).toHaveLength(5);
    expect(
      issuesOf(ToolSummary, {
        id: P,
        slug: 'SAFE FoS',
        title: 'x',
        body: 'y',
        officialUrl: 'http://www.wcoomd.org/',
      }).map((i) => i.split(':')[0]),
    ).toEqual(['slug', 'officialUrl']);
  });
});

describe('participant and roster', () => {
  it('accepts a participant and refuses a bad e-mail or member code', () => {
    expect(Participant.parse({ id: P, fullName: 'Sione Tupou', memberCode: 'TO' }).email).toBeNull();
    expect(
      issuesOf(Participant, { id: P, fullName: 'Sione', memberCode: 'TON', email: 'sione@' })
        .map((i) => i.split(':')[0])
        .sort(),
    ).toEqual(['email', 'memberCode']);
    expect(issuesOf(RosterEntry, { workshopId: W, participantId: 'me' })).toEqual(['participantId: Must be a UUID.']);
  });
});

describe('follow-up action', () => {
  const action = {
    id: P,
    participantId: P,
    workshopId: W,
    kind: 'in-house-workshop',
    date: '2022-09-01',
    description: 'Two-day in-house PCA session',
    attendees: 24,
  };
  it('accepts each of the six kinds', () => {
    for (const kind of [
      'share-materials',
      'submit-report',
      'make-recommendations',
      'in-house-workshop',
      'operational-manuals',
      'other',
    ]) {
      expect(issuesOf(FollowUpAction, { ...action, kind })).toEqual([]);
    }
  });
  it('refuses an unknown kind, an empty description and oversized text', () => {
    expect(issuesOf(FollowUpAction, { ...action, kind: 'lunch' })).toEqual([expect.stringMatching(/^kind: /)]);
    expect(issuesOf(FollowUpAction, { ...action, description: '' })).toEqual(['description: This field is required.']);
    expect(issuesOf(FollowUpAction, { ...action, description: 'x'.repeat(2001) })).toEqual([
      'description: At most 2000 characters.',
    ]);
    expect(issuesOf(FollowUpAction, { ...action, attendees: 0 })).toEqual([expect.stringMatching(/^attendees: /)]);
  });
});

describe('survey response', () => {
  const draft = { id: P, participantId: P, workshopId: W };
  it('lets a draft leave questions open', () => {
    const r = SurveyResponse.parse(draft);
    expect([r.status, r.revision, r.directEffects.answer, r.lessonsApplied.operationalImprovement]).toEqual([
      'draft',
      1,
      null,
      '',
    ]);
  });
  it('requires every answer once submitted, naming each missing one', () => {
    expect(issuesOf(SurveyResponse, { ...draft, status: 'submitted', actionsTaken: ['other'] })).toEqual([
      'directEffects.answer: Please answer this question.',
      'workEfficiency.answer: Please answer this question.',
      'newProjects.answer: Please answer this question.',
      'otherActions: Describe the other actions you took.',
      'submittedAt: A submitted response needs its submission time.',
    ]);
  });
  it('asks for a description of a new project', () => {
    const submitted = {
      ...draft,
      status: 'submitted',
      submittedAt: '2022-12-20T00:00:00.000Z',
      directEffects: { answer: 'not-yet' },
      workEfficiency: { answer: 'yes', details: 'Faster audits' },
      newProjects: { answer: 'yes' },
    };
    expect(issuesOf(SurveyResponse, submitted)).toEqual(['newProjects.details: Describe the new project.']);
    expect(
      issuesOf(SurveyResponse, { ...submitted, newProjects: { answer: 'yes', details: 'Launched the AEO project' } }),
    ).toEqual([]);
    expect(issuesOf(SurveyResponse, { ...submitted, workEfficiency: { answer: 'not-yet' } })).toEqual([
      expect.stringMatching(/^workEfficiency.answer/),
    ]);
  });
});

describe('evaluation', () => {
  it('takes ratings from 1 to 5', () => {
    const e = { id: P, participantId: P, workshopId: W, overall: 5, relevance: 4, materials: 4, facilitation: 5 };
    expect(issuesOf(Evaluation, e)).toEqual([]);
    expect(
      issuesOf(Evaluation, { ...e, overall: 6, materials: 0, relevance: 3.5 })
        .map((i) => i.split(':')[0])
        .sort(),
    ).toEqual(['materials', 'overall', 'relevance']);
  });
});

describe('wire protocol and content pack', () => {
  it('accepts a sync request and refuses a mutation on published content', () => {
    expect(SyncRequest.parse({ protocol: 1, epoch: null }).mutations).toEqual([]);
    expect(issuesOf(Mutation, { mid: 1, op: 'create', collection: 'workshops', recordId: P, fields: {} })).toEqual([
      expect.stringMatching(/^collection: /),
    ]);
    expect(
      issuesOf(Mutation, { mid: 0, op: 'delete', collection: 'evaluations', recordId: P, baseVersion: 0 }),
    ).toEqual([expect.stringMatching(/^mid: /)]);
  });
  it('normalises an enrolment code typed with spaces and dashes', () => {
    expect(EnrollRequest.parse({ code: ' abcd-efgh 2345 ' }).code).toBe('ABCDEFGH2345');
    expect(issuesOf(EnrollRequest, { code: 'ILOU-0000-0000' })).toEqual([
      'code: An enrolment code has 12 letters and digits.',
    ]);
  });
  it('refuses unknown top-level keys in a content pack', () => {
    expect(issuesOf(ContentPackFile, { formatVersion: 1, workshop: [] })).toEqual([expect.stringMatching(/workshop/)]);
    expect(issuesOf(ContentPackFile, { formatVersion: 2 })).toEqual([expect.stringMatching(/^formatVersion: /)]);
  });
});
