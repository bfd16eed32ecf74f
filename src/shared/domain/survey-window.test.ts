import { describe, expect, it } from 'vitest';
import { addMonths, dateInZone, zonedInstant, zoneOffsetMinutes } from './time-zones';
import { evaluationOpen, surveyWindow } from './survey-window';

const pcaPacific = {
  endDate: '2020-11-12',
  timeZone: 'Pacific/Fiji',
  surveyOpensAfterMonths: 6,
  surveyDueAfterDays: 21,
};

describe('time zones', () => {
  it('finds the offset of a zone at an instant', () => {
    expect(zoneOffsetMinutes('Asia/Bangkok', new Date('2022-06-01T00:00:00Z'))).toBe(420);
    expect(zoneOffsetMinutes('Pacific/Tongatapu', new Date('2022-06-01T00:00:00Z'))).toBe(780);
    expect(zoneOffsetMinutes('Asia/Tehran', new Date('2021-01-10T00:00:00Z'))).toBe(210);
  });
  it('turns a wall-clock time in a zone into an instant', () => {
    expect(zonedInstant('2022-06-14', '09:00', 'Pacific/Fiji').toISOString()).toBe('2022-06-13T21:00:00.000Z');
    expect(zonedInstant('2022-06-14', '09:00', 'Asia/Kabul').toISOString()).toBe('2022-06-14T04:30:00.000Z');
  });
  it('handles a daylight-saving change (Sydney, first Sunday of October 2022)', () => {
    expect(zonedInstant('2022-10-02', '12:00', 'Australia/Sydney').toISOString()).toBe('2022-10-02T01:00:00.000Z');
    expect(zonedInstant('2022-10-01', '12:00', 'Australia/Sydney').toISOString()).toBe('2022-10-01T02:00:00.000Z');
  });
  it('reads the local date of an instant', () => {
    expect(dateInZone(new Date('2022-06-13T21:00:00Z'), 'Pacific/Fiji')).toBe('2022-06-14');
    expect(dateInZone(new Date('2022-06-13T21:00:00Z'), 'Asia/Bangkok')).toBe('2022-06-14');
    expect(dateInZone(new Date('2022-06-13T16:00:00Z'), 'Asia/Bangkok')).toBe('2022-06-13');
  });
  it('adds months with end-of-month clamping', () => {
    expect(addMonths('2021-08-31', 6)).toBe('2022-02-28');
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2020-11-12', 6)).toBe('2021-05-12');
  });
});

describe('survey window', () => {
  it('opens six months after the last day, at midnight in the workshop’s zone, and is due three weeks later', () => {
    const w = surveyWindow(pcaPacific, new Date('2021-05-11T11:59:00Z'));
    expect(w.opensOn).toBe('2021-05-12');
    expect(w.dueOn).toBe('2021-06-02');
    expect(w.opensAt.toISOString()).toBe('2021-05-11T12:00:00.000Z');
    expect(w.phase).toBe('not-yet');
    expect(surveyWindow(pcaPacific, new Date('2021-05-11T12:00:00Z')).phase).toBe('open');
  });
  it('turns due-soon a week before the due date and overdue after the due day ends', () => {
    expect(surveyWindow(pcaPacific, new Date('2021-05-27T00:00:00Z')).phase).toBe('due-soon');
    expect(surveyWindow(pcaPacific, new Date('2021-06-02T11:59:00Z')).phase).toBe('due-soon');
    const late = surveyWindow(pcaPacific, new Date('2021-06-02T12:00:00Z'));
    expect(late.phase).toBe('overdue');
    expect(late.daysLeft).toBeLessThanOrEqual(0);
  });
  it('follows per-workshop settings', () => {
    const w = surveyWindow(
      { ...pcaPacific, surveyOpensAfterMonths: 3, surveyDueAfterDays: 30 },
      new Date('2021-01-01T00:00:00Z'),
    );
    expect([w.opensOn, w.dueOn]).toEqual(['2021-02-12', '2021-03-14']);
  });
  it('opens the evaluation from the start of the last day', () => {
    expect(evaluationOpen(pcaPacific, new Date('2020-11-11T11:59:00Z'))).toBe(false);
    expect(evaluationOpen(pcaPacific, new Date('2020-11-11T12:00:00Z'))).toBe(true);
  });
});
