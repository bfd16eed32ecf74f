/**
 * The demo's sample workshops dated from now: whatever the day the demo is
 * first loaded (month ends, leap days, either side of midnight in Bangkok),
 * one is in progress with sessions on that day and the other's follow-up
 * survey is open, by the survey window rule the devices apply.
 */
import { describe, expect, it } from 'vitest';
import { dateInZone } from '../../shared/domain/time-zones';
import { surveyWindow } from '../../shared/domain/survey-window';
import { DEMO_IN_PROGRESS_ID, DEMO_SURVEY_OPEN_ID, demoWorkshopsNow } from './demo-now';

const STARTS = [
  '2026-12-04T17:07:00Z',
  '2026-08-31T12:00:00Z',
  '2027-03-01T00:30:00Z',
  '2028-02-29T16:59:00Z',
  '2028-02-29T17:01:00Z',
  '2026-01-01T05:00:00Z',
];

describe('demo workshops dated from the first start', () => {
  it.each(STARTS)('at %s one is in progress and the other has its survey open', (iso) => {
    const now = new Date(iso);
    const { workshops, sessions } = demoWorkshopsNow(now);
    const inProgress = workshops.find((w) => w.id === DEMO_IN_PROGRESS_ID)!;
    const surveyOpen = workshops.find((w) => w.id === DEMO_SURVEY_OPEN_ID)!;
    const today = dateInZone(now, inProgress.timeZone);
    expect(inProgress.startDate < today && today < inProgress.endDate).toBe(true);
    expect(inProgress.title).toMatch(/^Sample workshop .*\(demo\)/);
    const todays = sessions.filter((s) => s.date === today);
    expect(todays.length).toBeGreaterThan(3);
    expect(todays[0]!.start <= '08:00' && todays.at(-1)!.end >= '20:00').toBe(true);
    expect(sessions.every((s) => s.sample && s.workshopId === DEMO_IN_PROGRESS_ID)).toBe(true);
    expect(new Set(sessions.map((s) => s.id)).size).toBe(sessions.length);
    expect(surveyWindow(surveyOpen, now).phase).toBe('open');
    expect(surveyWindow(inProgress, now).phase).toBe('not-yet');
  });

  it('gives the same ids on every load, so reloading rewrites the same records', () => {
    const a = demoWorkshopsNow(new Date(STARTS[0]!));
    const b = demoWorkshopsNow(new Date(STARTS[1]!));
    expect(b.sessions.map((s) => s.id)).toEqual(a.sessions.map((s) => s.id));
  });
});
