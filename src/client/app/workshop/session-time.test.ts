/**
 * The phone's time beside the workshop's: nothing when the clocks agree,
 * the time alone on the same date, the day as well when the date changes
 * between the two zones (before or after, or across midnight on the phone).
 */
import { describe, expect, it } from 'vitest';
import { phoneTime } from './session-time';

// Narrow no-break spaces and thin spaces vary between ICU versions; compare with plain spaces.
const plain = (s: string | null) => s?.replace(/[\u202f\u2009\u00a0]/g, ' ') ?? null;

describe('phoneTime', () => {
  it('adds nothing when the phone reads the workshop’s clock', () => {
    expect(
      phoneTime('en-GB', { date: '2021-11-09', start: '12:00', end: '13:30' }, 'Asia/Bangkok', 'Asia/Bangkok'),
    ).toBeNull();
    expect(
      phoneTime('en-GB', { date: '2021-11-09', start: '12:00', end: '13:30' }, 'Asia/Bangkok', 'Asia/Jakarta'),
    ).toBeNull();
  });

  it('gives the time alone on the same date (Bangkok noon is 17:00 in Suva, UTC+12)', () => {
    expect(
      plain(phoneTime('en-GB', { date: '2021-11-09', start: '12:00', end: '13:30' }, 'Asia/Bangkok', 'Pacific/Fiji')),
    ).toBe('17:00–18:30');
  });

  it('names the day when the session falls on the day before on the phone', () => {
    // 07:00 on Monday 18 October in Bangkok is 14:00 on Sunday 17 October in Honolulu.
    expect(
      plain(
        phoneTime('en-GB', { date: '2021-10-18', start: '07:00', end: '08:30' }, 'Asia/Bangkok', 'Pacific/Honolulu'),
      ),
    ).toBe('Sun 17 Oct, 14:00–15:30');
  });

  it('names the day when the session falls on the next day on the phone, and both days across midnight', () => {
    // 18:00 in Colombo (UTC+5:30) is 01:30 the next morning in Apia (UTC+13).
    expect(
      plain(phoneTime('en-GB', { date: '2021-08-05', start: '18:00', end: '19:00' }, 'Asia/Colombo', 'Pacific/Apia')),
    ).toBe('Fri 6 Aug, 01:30–02:30');
    // 16:30–17:30 in Bangkok runs from 23:30 to 00:30 in Kiritimati (UTC+14).
    expect(
      plain(
        phoneTime('en-GB', { date: '2021-11-10', start: '16:30', end: '17:30' }, 'Asia/Bangkok', 'Pacific/Kiritimati'),
      ),
    ).toBe('Wed 10 Nov, 23:30 – Thu 11 Nov, 00:30');
  });

  it('writes the day in the reader’s language', () => {
    const fr = phoneTime(
      'fr-FR',
      { date: '2021-10-18', start: '07:00', end: '08:30' },
      'Asia/Bangkok',
      'Pacific/Honolulu',
    );
    expect(plain(fr)).toMatch(/^dim\. 17 oct\./);
  });
});
