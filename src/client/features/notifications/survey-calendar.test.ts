/** The survey's .ics: the window as one all-day event, four alarms at 09:00, valid RFC 5545 in Persian too. */
import { describe, expect, it } from 'vitest';
import { unfoldIcs } from '../../../shared/domain/icalendar';
import { surveyCalendar } from './survey-calendar';

const workshop = {
  id: '6f1c1b8e-3c1d-4c0e-9a51-0b8f0f3c2a10',
  title: 'Sub-regional Workshop on Data Analytics',
  endDate: '2026-06-12',
  timeZone: 'Pacific/Fiji',
  surveyOpensAfterMonths: 6,
  surveyDueAfterDays: 21,
};
const text = (title: string) => ({
  title,
  description: 'Open the survey: https://vaka.example.org/workshops/x/survey',
  opens: 'The follow-up survey is open.',
  dueIn: (d: number) => `The survey is due in ${d} days.`,
  dueToday: 'The survey is due today.',
});

describe('surveyCalendar', () => {
  it('spans the survey window and rings when it opens, 7 and 2 days before, and on the due day', () => {
    const lines = unfoldIcs(surveyCalendar(workshop, 'https://vaka.example.org/workshops/x/survey', text('Survey')));
    expect(lines).toContain('DTSTART;VALUE=DATE:20261212');
    expect(lines).toContain('DTEND;VALUE=DATE:20270103');
    expect(lines).toContain(`UID:survey-${workshop.id}@vaka`);
    const triggers = lines.filter((l) => l.startsWith('TRIGGER'));
    expect(triggers).toEqual(['TRIGGER:PT9H', 'TRIGGER:P14DT9H', 'TRIGGER:P19DT9H', 'TRIGGER:P21DT9H']);
    expect(lines.filter((l) => l === 'BEGIN:VALARM')).toHaveLength(4);
  });

  it('escapes the calendar name and folds every line at 75 octets, Persian included', () => {
    const title = 'نظرسنجی پیگیری: کارگاه منطقه‌ای تحلیل داده‌ها، گمرک; فیجی';
    const ics = surveyCalendar(workshop, 'https://vaka.example.org/workshops/x/survey', text(title));
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(unfoldIcs(ics)).toContain(`X-WR-CALNAME:${title.replace(/;/g, '\\;')}`);
  });
});
