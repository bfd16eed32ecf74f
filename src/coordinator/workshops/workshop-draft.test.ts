/**
 * The workshop form's values: a saved workshop read into the form and sent
 * back unchanged is the same record, and a new workshop's defaults are the
 * office's (online, Bangkok time, the survey six months on, due in three
 * weeks) and still need the fields only a coordinator can fill in.
 */
import { describe, expect, it } from 'vitest';
import { Workshop } from '../../shared/schemas/workshop';
import { candidateOf, draftOf } from './workshop-draft';

const ID = '0190a5d4-8f4e-7b6a-9c1d-2e3f4a5b6c7d';

const saved: Workshop = Workshop.parse({
  id: ID,
  title: 'WCO Sub-regional Workshop on PCA (Pacific)',
  kind: 'sub-regional',
  topic: 'Post-clearance audit',
  summary: 'Audit after release.',
  startDate: '2027-03-01',
  endDate: '2027-03-05',
  timeZone: 'Pacific/Fiji',
  mode: 'hybrid',
  venue: { name: 'Grand Pacific Hotel', city: 'Suva', country: 'Fiji' },
  organisers: ['World Customs Organization (WCO)', 'ROCB A/P'],
  sponsor: 'CCF Japan',
  administrations: ['FJ', 'TO'],
  surveyOpensAfterMonths: 6,
  surveyDueAfterDays: 28,
  status: 'draft',
  translations: { fr: { title: 'Atelier sur le CAP', summary: 'Audit après dédouanement.' }, fa: { title: 'کارگاه' } },
  toolSlugs: ['revised-kyoto-convention'],
});

describe('workshop draft', () => {
  it('gives back the same workshop when nothing is changed', () => {
    expect(Workshop.parse(candidateOf(ID, draftOf(saved)))).toEqual(saved);
  });

  it('keeps an online workshop without a venue venue-less', () => {
    const online = { ...saved, mode: 'online' as const, venue: null };
    expect(Workshop.parse(candidateOf(ID, draftOf(online)))).toEqual(online);
  });

  it("starts a new workshop from the office's defaults, still missing what only a coordinator knows", () => {
    const draft = draftOf(null);
    expect(draft).toMatchObject({
      kind: 'regional',
      mode: 'online',
      timeZone: 'Asia/Bangkok',
      organisers: 'World Customs Organization (WCO)\nROCB A/P',
      surveyOpensAfterMonths: '6',
      surveyDueAfterDays: '21',
      status: 'draft',
    });
    const result = Workshop.safeParse(candidateOf(ID, draft));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(
      ['endDate', 'startDate', 'title', 'topic'].sort(),
    );
  });
});
