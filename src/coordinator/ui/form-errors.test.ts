/** Schema complaints become translation keys on the right field. */
import { describe, expect, it } from 'vitest';
import { AgendaSession, ToolSummary, Workshop } from '../../shared/schemas/workshop';
import { fieldErrors } from './form-errors';

describe('form errors', () => {
  it('names each workshop field with a translatable reason', () => {
    const result = Workshop.safeParse({
      id: '0190a5d4-8f4e-7b6a-9c1d-2e3f4a5b6c7d',
      title: '',
      kind: 'regional',
      topic: 'T',
      startDate: '2027-03-05',
      endDate: '2027-03-01',
      timeZone: 'Mars/Olympus',
      mode: 'in-person',
      venue: null,
      organisers: [],
      surveyOpensAfterMonths: 40,
    });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.title).toEqual({ key: 'errors.required' });
    expect(errors.timeZone).toEqual({ key: 'errors.timeZone' });
    expect(errors.organisers).toEqual({ key: 'errors.tooFew', values: { min: 1 } });
    expect(errors.surveyOpensAfterMonths).toEqual({ key: 'errors.max', values: { max: 36 } });
  });

  it('reports the refinements once the fields themselves are valid', () => {
    const result = Workshop.safeParse({
      id: '0190a5d4-8f4e-7b6a-9c1d-2e3f4a5b6c7d',
      title: 'A',
      kind: 'regional',
      topic: 'T',
      startDate: '2027-03-05',
      endDate: '2027-03-01',
      timeZone: 'Asia/Bangkok',
      mode: 'in-person',
      venue: null,
      organisers: ['WCO'],
    });
    const errors = fieldErrors(result.error!);
    expect(errors.endDate).toEqual({ key: 'errors.endBeforeStart' });
    expect(errors.venue).toEqual({ key: 'errors.venueRequired' });
  });

  it('explains session times, slugs and links', () => {
    const session = AgendaSession.safeParse({
      id: '0190a5d4-8f4e-7b6a-9c1d-2e3f4a5b6c7d',
      workshopId: '0190a5d4-8f4e-7b6a-9c1d-2e3f4a5b6c7d',
      date: '2027-03-01',
      start: '10:00',
      end: '9:00',
      title: 'Opening',
    });
    expect(fieldErrors(session.error!).end).toEqual({ key: 'errors.time' });
    const tool = ToolSummary.safeParse({
      id: '0190a5d4-8f4e-7b6a-9c1d-2e3f4a5b6c7d',
      slug: 'Bad Slug',
      title: 'T',
      body: 'B',
      officialUrl: 'http://example.org',
    });
    const errors = fieldErrors(tool.error!);
    expect(errors.slug).toEqual({ key: 'errors.slug' });
    expect(errors.officialUrl?.key).toBe('errors.url');
  });
});
