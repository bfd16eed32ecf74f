/**
 * A session on another clock than the workshop's: the phone's. Nothing is
 * added when both clocks agree; the day is flagged when the session falls on
 * another date there, including a session that crosses midnight there only.
 */
import { describe, expect, it } from 'vitest';
import { onOtherClock } from './time-zones';

describe('onOtherClock', () => {
  it('is null when the two zones read the same (Bangkok and Ho Chi Minh City), or are the same zone', () => {
    const s = { date: '2021-11-09', start: '12:00', end: '13:30' };
    expect(onOtherClock(s, 'Asia/Bangkok', 'Asia/Ho_Chi_Minh')).toBeNull();
    expect(onOtherClock(s, 'Pacific/Fiji', 'Pacific/Fiji')).toBeNull();
  });

  it('gives the same instants, on the same day when the date does not change (Colombo to Suva)', () => {
    const s = { date: '2021-08-04', start: '09:30', end: '10:30' };
    const other = onOtherClock(s, 'Asia/Colombo', 'Pacific/Fiji');
    expect(other).toEqual({
      start: new Date('2021-08-04T04:00:00Z'),
      end: new Date('2021-08-04T05:00:00Z'),
      otherDay: false,
    });
  });

  it('flags the previous day: Bangkok 07:00 is the afternoon before in Honolulu', () => {
    const s = { date: '2021-10-18', start: '07:00', end: '08:30' };
    const other = onOtherClock(s, 'Asia/Bangkok', 'Pacific/Honolulu');
    expect(other?.otherDay).toBe(true);
    expect(other?.start.toISOString()).toBe('2021-10-18T00:00:00.000Z');
  });

  it('keeps the day for a Bangkok morning in Apia (UTC+13), and flags the next day for a Colombo evening', () => {
    expect(onOtherClock({ date: '2021-10-18', start: '07:00', end: '08:30' }, 'Asia/Bangkok', 'Pacific/Apia')).toEqual(
      expect.objectContaining({ otherDay: false }),
    );
    expect(
      onOtherClock({ date: '2021-08-05', start: '18:00', end: '19:00' }, 'Asia/Colombo', 'Pacific/Apia')?.otherDay,
    ).toBe(true);
  });

  it('flags a session that crosses midnight on the other clock only', () => {
    // 16:30–17:30 in Bangkok is 23:30–00:30 in Kiritimati (UTC+14).
    const other = onOtherClock(
      { date: '2021-11-10', start: '16:30', end: '17:30' },
      'Asia/Bangkok',
      'Pacific/Kiritimati',
    );
    expect(other?.otherDay).toBe(true);
  });

  it('compares the clocks at the session’s own time, across daylight saving', () => {
    // Brisbane never changes; Sydney matches it in winter and is an hour ahead in summer.
    const winter = { date: '2022-07-05', start: '09:00', end: '10:00' };
    const summer = { date: '2022-12-05', start: '09:00', end: '10:00' };
    expect(onOtherClock(winter, 'Australia/Sydney', 'Australia/Brisbane')).toBeNull();
    expect(onOtherClock(summer, 'Australia/Sydney', 'Australia/Brisbane')).toEqual(
      expect.objectContaining({ otherDay: false, start: new Date('2022-12-04T22:00:00Z') }),
    );
  });
});
