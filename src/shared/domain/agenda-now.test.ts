/**
 * "Now" and "Next" from the workshop's own clock: before the workshop,
 * during and between sessions, between days, after it, with cancelled and
 * parallel sessions, in zones on either side of the date line and across a
 * daylight-saving change.
 */
import { describe, expect, it } from 'vitest';
import { agendaNow, type TimedSession } from './agenda-now';

let n = 0;
const session = (date: string, start: string, end: string, status: TimedSession['status'] = 'scheduled') => ({
  id: `s${++n}-${date}-${start}`,
  date,
  start,
  end,
  status,
});

// The HS 2022 workshop ran on Bangkok time (UTC+7 all year).
const opening = session('2021-11-09', '12:00', '13:30');
const convention = session('2021-11-09', '13:45', '15:15');
const cancelledMorning = session('2021-11-10', '12:00', '13:30', 'cancelled');
const amendments = session('2021-11-10', '13:45', '15:15');
const closing = session('2021-11-10', '15:30', '16:30');
// Given out of order: the function sorts by time itself.
const bangkok = [closing, amendments, cancelledMorning, convention, opening];
const at = (iso: string) => new Date(iso);
const ids = (list: readonly TimedSession[]) => list.map((s) => s.id);

describe('agendaNow', () => {
  it('says nothing before the workshop, even with its first session ahead', () => {
    expect(agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-08T12:00:00Z'))).toEqual({
      now: [],
      next: [],
      nextStartsAt: null,
    });
    // 23:59 in Bangkok the evening before.
    expect(agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-08T16:59:00Z')).next).toEqual([]);
  });

  it('names the first session as next from midnight of the first day, in the workshop zone', () => {
    const r = agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-08T17:00:00Z')); // 00:00 in Bangkok
    expect(r.now).toEqual([]);
    expect(ids(r.next)).toEqual([opening.id]);
    expect(r.nextStartsAt?.toISOString()).toBe('2021-11-09T05:00:00.000Z');
  });

  it('during a session: that one is now, the following one next', () => {
    const r = agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-09T05:30:00Z')); // 12:30
    expect(ids(r.now)).toEqual([opening.id]);
    expect(ids(r.next)).toEqual([convention.id]);
  });

  it('treats the start as inside the session and the end as outside', () => {
    expect(ids(agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-09T05:00:00Z')).now)).toEqual([opening.id]);
    const atEnd = agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-09T06:30:00Z')); // 13:30
    expect(atEnd.now).toEqual([]);
    expect(ids(atEnd.next)).toEqual([convention.id]);
  });

  it('between days, skipping a cancelled session: the next real one', () => {
    const evening = agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-09T13:00:00Z')); // 20:00
    expect(evening.now).toEqual([]);
    expect(ids(evening.next)).toEqual([amendments.id]);
    const duringCancelled = agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-10T05:30:00Z'));
    expect(duringCancelled.now).toEqual([]);
    expect(ids(duringCancelled.next)).toEqual([amendments.id]);
  });

  it('in the last session nothing is next, and after it nothing at all', () => {
    const last = agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-10T09:00:00Z')); // 16:00
    expect(ids(last.now)).toEqual([closing.id]);
    expect(last.next).toEqual([]);
    expect(last.nextStartsAt).toBeNull();
    expect(agendaNow(bangkok, 'Asia/Bangkok', at('2021-11-10T09:30:00Z'))).toEqual({
      now: [],
      next: [],
      nextStartsAt: null,
    });
  });

  it('lists parallel sessions together', () => {
    const plenary = session('2022-06-07', '09:00', '10:30');
    const breakoutA = session('2022-06-07', '10:45', '12:15');
    const breakoutB = session('2022-06-07', '10:45', '12:00');
    const list = [plenary, breakoutA, breakoutB];
    const before = agendaNow(list, 'Pacific/Fiji', at('2022-06-06T22:00:00Z')); // 10:00 in Nadi
    expect(ids(before.next).sort()).toEqual([breakoutA.id, breakoutB.id].sort());
    const during = agendaNow(list, 'Pacific/Fiji', at('2022-06-06T23:00:00Z')); // 11:00
    expect(ids(during.now)).toEqual([breakoutB.id, breakoutA.id]);
  });

  it('reads the same wall-clock agenda in the workshop zone, not the phone’s', () => {
    const nine = [session('2022-06-07', '09:00', '10:00')];
    const instant = at('2022-06-06T21:30:00Z'); // 09:30 in Fiji, 04:30 in Bangkok
    expect(agendaNow(nine, 'Pacific/Fiji', instant).now).toHaveLength(1);
    expect(agendaNow(nine, 'Asia/Bangkok', instant).now).toHaveLength(0);
    expect(ids(agendaNow(nine, 'Asia/Bangkok', instant).next)).toEqual([nine[0]!.id]);
  });

  it('works across the date line: a morning in Apia is the previous UTC day', () => {
    const apia = [session('2021-10-01', '07:00', '08:30'), session('2021-10-01', '08:45', '10:15')];
    // 07:30 on 1 October in Apia (UTC+13) is 18:30 UTC on 30 September.
    const r = agendaNow(apia, 'Pacific/Apia', at('2021-09-30T18:30:00Z'));
    expect(ids(r.now)).toEqual([apia[0]!.id]);
    expect(ids(r.next)).toEqual([apia[1]!.id]);
  });

  it('follows a daylight-saving change (Sydney moves to UTC+11 on 2 October 2022)', () => {
    const sydney = [session('2022-10-01', '09:00', '10:00'), session('2022-10-02', '09:00', '10:00')];
    // 09:00 on the 1st is 23:00 UTC (UTC+10); 09:00 on the 2nd is 22:00 UTC (UTC+11).
    expect(ids(agendaNow(sydney, 'Australia/Sydney', at('2022-09-30T23:30:00Z')).now)).toEqual([sydney[0]!.id]);
    const dstMorning = agendaNow(sydney, 'Australia/Sydney', at('2022-10-01T22:30:00Z'));
    expect(ids(dstMorning.now)).toEqual([sydney[1]!.id]);
    expect(agendaNow(sydney, 'Australia/Sydney', at('2022-10-01T21:59:00Z')).nextStartsAt?.toISOString()).toBe(
      '2022-10-01T22:00:00.000Z',
    );
  });

  it('says nothing for an empty or wholly cancelled agenda', () => {
    expect(agendaNow([], 'Asia/Bangkok', at('2021-11-09T05:30:00Z')).now).toEqual([]);
    expect(agendaNow([cancelledMorning], 'Asia/Bangkok', at('2021-11-10T05:30:00Z'))).toEqual({
      now: [],
      next: [],
      nextStartsAt: null,
    });
  });
});
