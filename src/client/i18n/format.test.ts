/** Workshop times are wall-clock times in the workshop's zone, whatever zone the phone is in. */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDateRange, formatTimeRange, todayIn, zonedInstant } from './format';

describe('zonedInstant', () => {
  it('reads a time in a zone east of UTC', () => {
    expect(zonedInstant('2021-11-09', '09:30', 'Pacific/Fiji').toISOString()).toBe('2021-11-08T21:30:00.000Z');
  });

  it('reads a time in a zone west of UTC', () => {
    expect(zonedInstant('2022-06-14', '09:00', 'America/New_York').toISOString()).toBe('2022-06-14T13:00:00.000Z');
  });

  it('follows daylight saving on the day itself', () => {
    // Sydney moves to UTC+11 on 2 October 2022 at 02:00.
    expect(zonedInstant('2022-10-01', '12:00', 'Australia/Sydney').toISOString()).toBe('2022-10-01T02:00:00.000Z');
    expect(zonedInstant('2022-10-02', '12:00', 'Australia/Sydney').toISOString()).toBe('2022-10-02T01:00:00.000Z');
  });

  it('handles half-hour zones', () => {
    expect(zonedInstant('2022-03-01', '10:00', 'Asia/Tehran').toISOString()).toBe('2022-03-01T06:30:00.000Z');
  });
});

describe('formatting in the workshop zone', () => {
  it('shows the agenda time as written, not the phone time', () => {
    const start = zonedInstant('2021-11-09', '09:30', 'Asia/Bangkok');
    const end = zonedInstant('2021-11-09', '11:00', 'Asia/Bangkok');
    expect(formatTimeRange('en-GB', start, end, 'Asia/Bangkok')).toMatch(/09:30\s*[–-]\s*11:00/);
  });

  it('keeps calendar dates even far from UTC', () => {
    expect(formatDateRange('en-GB', '2021-11-09', '2021-11-11', 'Pacific/Kiritimati')).toMatch(
      /9\s*[–-]\s*11 Nov 2021/,
    );
  });

  it('knows which day it is in the workshop zone', () => {
    const now = new Date('2022-06-14T20:00:00Z');
    expect(todayIn('Pacific/Fiji', now)).toBe('2022-06-15');
    expect(todayIn('Asia/Karachi', now)).toBe('2022-06-15');
    expect(todayIn('UTC', now)).toBe('2022-06-14');
  });
});

describe('formatBytes', () => {
  it('uses decimal units with one decimal under ten', () => {
    expect(formatBytes('en', 2_400_000)).toBe('2.4 MB');
    expect(formatBytes('en', 350_000)).toBe('350 kB');
    expect(formatBytes('en', 512)).toBe('512 byte');
  });
});
