/**
 * Survey reminders from stored workshop dates: they follow the workshop's
 * own zone whatever the phone's zone, use each workshop's offsets, skip
 * answered surveys, and come back after "Later" when the phase changes.
 */
import { describe, expect, it } from 'vitest';
import { nextChangeAt, surveyReminders } from './reminders';

const suva = {
  id: 'w-suva',
  endDate: '2024-06-14',
  timeZone: 'Pacific/Fiji',
  surveyOpensAfterMonths: 6,
  surveyDueAfterDays: 21,
};
const tehran = {
  id: 'w-tehran',
  endDate: '2024-06-14',
  timeZone: 'Asia/Tehran',
  surveyOpensAfterMonths: 6,
  surveyDueAfterDays: 21,
};
const none = new Set<string>();
const noDismissals = new Map<string, string>();

describe('survey reminders', () => {
  it('opens at midnight of the opening day in each workshop’s zone, not the phone’s', () => {
    // Midnight on 14 December 2024 in Suva (UTC+12) is 12:00 UTC on the 13th;
    // in Tehran (UTC+3:30) it is 20:30 UTC on the 13th.
    const beforeSuva = new Date('2024-12-13T11:59:00Z');
    const afterSuva = new Date('2024-12-13T12:00:00Z');
    const afterTehran = new Date('2024-12-13T20:30:00Z');
    expect(surveyReminders([suva, tehran], none, noDismissals, beforeSuva)).toEqual([]);
    expect(surveyReminders([suva, tehran], none, noDismissals, afterSuva).map((r) => r.workshopId)).toEqual(['w-suva']);
    const both = surveyReminders([suva, tehran], none, noDismissals, afterTehran);
    // Suva's is due first (its day ends earlier in UTC).
    expect(both.map((r) => [r.workshopId, r.phase, r.opensOn, r.dueOn])).toEqual([
      ['w-suva', 'open', '2024-12-14', '2025-01-04'],
      ['w-tehran', 'open', '2024-12-14', '2025-01-04'],
    ]);
  });

  it('turns due soon a week before the end of the due day, then overdue', () => {
    const dueSoon = surveyReminders([suva], none, noDismissals, new Date('2024-12-28T12:00:00Z'));
    expect(dueSoon).toMatchObject([{ phase: 'due-soon', daysLeft: 7 }]);
    const lastHour = surveyReminders([suva], none, noDismissals, new Date('2025-01-04T11:30:00Z'));
    expect(lastHour).toMatchObject([{ phase: 'due-soon', daysLeft: 1 }]);
    expect(surveyReminders([suva], none, noDismissals, new Date('2025-01-04T12:00:00Z'))).toMatchObject([
      { phase: 'overdue' },
    ]);
  });

  it('follows each workshop’s configured offsets', () => {
    const quick = { ...suva, id: 'w-quick', surveyOpensAfterMonths: 3, surveyDueAfterDays: 30 };
    const [reminder] = surveyReminders([quick], none, noDismissals, new Date('2024-09-14T00:00:00Z'));
    expect(reminder).toMatchObject({ opensOn: '2024-09-14', dueOn: '2024-10-14', phase: 'open' });
    // Month-end clamping: 31 August + 6 months is the last day of February.
    const monthEnd = { ...suva, id: 'w-end', endDate: '2023-08-31' };
    expect(surveyReminders([monthEnd], none, noDismissals, new Date('2024-03-01T00:00:00Z'))).toMatchObject([
      { opensOn: '2024-02-29', dueOn: '2024-03-21' },
    ]);
  });

  it('skips answered surveys, and a "Later" lasts until the phase changes', () => {
    const now = new Date('2024-12-20T00:00:00Z');
    expect(surveyReminders([suva], new Set(['w-suva']), noDismissals, now)).toEqual([]);
    const laterWhileOpen = new Map([['w-suva', 'open']]);
    expect(surveyReminders([suva], none, laterWhileOpen, now)).toEqual([]);
    expect(surveyReminders([suva], none, laterWhileOpen, new Date('2024-12-29T00:00:00Z'))).toMatchObject([
      { phase: 'due-soon' },
    ]);
  });

  it('knows when the reminders next change on their own', () => {
    expect(nextChangeAt([suva], new Date('2024-07-01T00:00:00Z'))?.toISOString()).toBe('2024-12-13T12:00:00.000Z');
    expect(nextChangeAt([suva], new Date('2024-12-20T00:00:00Z'))?.toISOString()).toBe('2024-12-28T12:00:00.000Z');
    expect(nextChangeAt([suva], new Date('2024-12-30T00:00:00Z'))?.toISOString()).toBe('2025-01-04T12:00:00.000Z');
    expect(nextChangeAt([suva], new Date('2025-02-01T00:00:00Z'))).toBeNull();
  });
});
