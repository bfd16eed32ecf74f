import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dueMessages,
  nextCivilInstant,
  participantTimeZone,
  plannedMessages,
  type ScheduleInput,
} from './message-schedule';
import { surveyWindow } from './survey-window';
import { zoneOffsetMinutes } from './time-zones';

const workshop = (endDate: string, timeZone: string) => ({
  id: '0192f1c0-0000-7000-8000-000000000001',
  endDate,
  timeZone,
  surveyOpensAfterMonths: 6,
  surveyDueAfterDays: 21,
});

const base = (over: Partial<ScheduleInput> = {}): ScheduleInput => ({
  workshop: workshop('2026-06-12', 'Pacific/Fiji'),
  timeZone: 'Pacific/Fiji',
  addedAt: new Date('2026-06-01T00:00:00Z'),
  featureStartedAt: new Date('2026-06-01T00:00:00Z'),
  repliedAt: null,
  unsubscribedAt: null,
  resultsPublishedAt: null,
  ...over,
});

const iso = (list: { key: string; sendAt: Date }[]) => list.map((m) => [m.key, m.sendAt.toISOString()]);

describe('message schedule', () => {
  it('sends the invitation, two reminders and the last call at 09:00 in Fiji', () => {
    // Survey opens 2026-12-12 and is due 2027-01-02; Fiji is UTC+12 all year.
    expect(iso(plannedMessages(base()))).toEqual([
      ['invitation', '2026-12-11T21:00:00.000Z'],
      ['reminder-7', '2026-12-25T21:00:00.000Z'],
      ['reminder-2', '2026-12-30T21:00:00.000Z'],
      ['last-call', '2027-01-01T21:00:00.000Z'],
    ]);
  });

  it('uses the participant zone across the date line: Tonga (UTC+13) and Tehran (UTC+3:30)', () => {
    const tonga = plannedMessages(base({ timeZone: 'Pacific/Tongatapu' }));
    expect(tonga[0]!.sendAt.toISOString()).toBe('2026-12-11T20:00:00.000Z');
    const tehran = plannedMessages(base({ timeZone: 'Asia/Tehran' }));
    expect(tehran[0]!.sendAt.toISOString()).toBe('2026-12-12T05:30:00.000Z');
  });

  it('keeps 09:00 local across a daylight-saving change (Sydney, 4 October 2026)', () => {
    const sydney = plannedMessages(
      base({ workshop: workshop('2026-03-20', 'Australia/Sydney'), timeZone: 'Australia/Sydney' }),
    );
    expect(iso(sydney)).toEqual([
      ['invitation', '2026-09-19T23:00:00.000Z'],
      ['reminder-7', '2026-10-03T22:00:00.000Z'],
      ['reminder-2', '2026-10-08T22:00:00.000Z'],
      ['last-call', '2026-10-10T22:00:00.000Z'],
    ]);
  });

  it('takes the administration zone, else the workshop zone', () => {
    expect(participantTimeZone('TO', 'Pacific/Fiji')).toBe('Pacific/Tongatapu');
    expect(participantTimeZone('IR', 'Asia/Bangkok')).toBe('Asia/Tehran');
    expect(participantTimeZone('XX', 'Asia/Bangkok')).toBe('Asia/Bangkok');
    expect(participantTimeZone(null, 'Pacific/Fiji')).toBe('Pacific/Fiji');
  });

  it('honours per-workshop reminder days and ignores ones outside the window', () => {
    const keys = plannedMessages(base({ reminderDays: [10, 3, 3, 0, 40] })).map((m) => m.key);
    expect(keys).toEqual(['invitation', 'reminder-10', 'reminder-3', 'last-call']);
  });

  it('sends nothing for a round that closed before the participant was added or the feature first ran', () => {
    expect(plannedMessages(base({ addedAt: new Date('2027-01-03T00:00:00Z') }))).toEqual([]);
    expect(plannedMessages(base({ featureStartedAt: new Date('2027-02-01T00:00:00Z') }))).toEqual([]);
    expect(
      plannedMessages(
        base({
          featureStartedAt: new Date('2027-02-01T00:00:00Z'),
          resultsPublishedAt: new Date('2027-03-01T00:00:00Z'),
        }),
      ),
    ).toEqual([]);
  });

  it('gives a participant added mid-round the invitation at once (in civil hours) and skips past reminders', () => {
    // 2026-12-28 01:00Z is 13:00 in Fiji: within civil hours, so right away.
    const added = new Date('2026-12-28T01:00:00Z');
    expect(iso(plannedMessages(base({ addedAt: added })))).toEqual([
      ['invitation', '2026-12-28T01:00:00.000Z'],
      ['reminder-2', '2026-12-30T21:00:00.000Z'],
      ['last-call', '2027-01-01T21:00:00.000Z'],
    ]);
    // 2026-12-28 10:00Z is 22:00 in Fiji: the next morning.
    const night = plannedMessages(base({ addedAt: new Date('2026-12-28T10:00:00Z') }));
    expect(night[0]!.sendAt.toISOString()).toBe('2026-12-28T21:00:00.000Z');
  });

  it('stops reminders and the last call once they replied, but still sends feedback', () => {
    const list = plannedMessages(
      base({
        repliedAt: new Date('2026-12-27T00:00:00Z'),
        resultsPublishedAt: new Date('2027-02-10T03:00:00Z'),
      }),
    );
    expect(iso(list)).toEqual([
      ['invitation', '2026-12-11T21:00:00.000Z'],
      ['reminder-7', '2026-12-25T21:00:00.000Z'],
      ['feedback', '2027-02-10T03:00:00.000Z'],
    ]);
  });

  it('sends nothing after they unsubscribed', () => {
    expect(plannedMessages(base({ unsubscribedAt: new Date('2026-12-01T00:00:00Z') }))).toEqual([]);
  });

  it('after a long outage sends the invitation and only the latest reminder, and no nudge after the round closed', () => {
    expect(dueMessages(base(), new Date('2026-12-31T02:00:00Z')).map((m) => m.key)).toEqual([
      'invitation',
      'reminder-2',
    ]);
    expect(dueMessages(base(), new Date('2027-01-05T02:00:00Z')).map((m) => m.key)).toEqual(['invitation']);
    expect(dueMessages(base(), new Date('2026-12-11T20:59:59Z'))).toEqual([]);
  });

  it('moves a night-time instant to the next 09:00 and leaves a daytime one alone', () => {
    // 23:30 in Tehran on 12 December → 09:00 on the 13th.
    expect(nextCivilInstant(new Date('2026-12-12T20:00:00Z'), 'Asia/Tehran').toISOString()).toBe(
      '2026-12-13T05:30:00.000Z',
    );
    // 05:00 in Tonga → 09:00 the same day.
    expect(nextCivilInstant(new Date('2026-12-11T16:00:00Z'), 'Pacific/Tongatapu').toISOString()).toBe(
      '2026-12-11T20:00:00.000Z',
    );
    const noon = new Date('2026-12-12T08:30:00Z');
    expect(nextCivilInstant(noon, 'Asia/Tehran')).toBe(noon);
  });

  const zones = [
    'Pacific/Tongatapu',
    'Pacific/Fiji',
    'Asia/Tehran',
    'Australia/Sydney',
    'Pacific/Apia',
    'Asia/Kathmandu',
  ];
  const day = 86_400_000;
  const arbitraryInput = fc.record({
    endDate: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
    workshopZone: fc.constantFrom(...zones),
    zone: fc.constantFrom(...zones),
    addedOffset: fc.integer({ min: -400, max: 400 }),
    featureOffset: fc.integer({ min: -400, max: 400 }),
    repliedOffset: fc.option(fc.integer({ min: 150, max: 250 })),
    publishedOffset: fc.option(fc.integer({ min: 150, max: 400 })),
    reminderDays: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 4 }),
    dueAfter: fc.integer({ min: 1, max: 60 }),
  });
  type Generated = typeof arbitraryInput extends fc.Arbitrary<infer T> ? T : never;
  const toInput = (a: Generated): ScheduleInput => {
    const end = a.endDate.toISOString().slice(0, 10);
    const t0 = Date.parse(`${end}T00:00:00Z`);
    return {
      workshop: { ...workshop(end, a.workshopZone), surveyDueAfterDays: a.dueAfter },
      timeZone: a.zone,
      reminderDays: a.reminderDays,
      addedAt: new Date(t0 + a.addedOffset * day),
      featureStartedAt: new Date(t0 + a.featureOffset * day),
      repliedAt: a.repliedOffset === null ? null : new Date(t0 + a.repliedOffset * day),
      unsubscribedAt: null,
      resultsPublishedAt: a.publishedOffset === null ? null : new Date(t0 + a.publishedOffset * day + 3_600_000 * 5),
    };
  };

  it('property: every send time is a civil hour on the participant clock', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const input = toInput(a);
        for (const m of plannedMessages(input)) {
          const local = new Date(m.sendAt.getTime() + zoneOffsetMinutes(input.timeZone, m.sendAt) * 60_000);
          expect(local.getUTCHours()).toBeGreaterThanOrEqual(9);
          expect(local.getUTCHours()).toBeLessThan(20);
        }
      }),
    );
  });

  it('property: nothing is planned before the participant was added or the feature ran, nor for closed rounds', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const input = toInput(a);
        const start = Math.max(input.addedAt.getTime(), input.featureStartedAt.getTime());
        const list = plannedMessages(input);
        for (const m of list) expect(m.sendAt.getTime()).toBeGreaterThanOrEqual(start);
        if (surveyWindow(input.workshop, input.addedAt).dueAt.getTime() <= start) expect(list).toEqual([]);
      }),
    );
  });

  it('property: no reminder or last call after the reply; keys unique; in send order', () => {
    fc.assert(
      fc.property(arbitraryInput, (a) => {
        const input = toInput(a);
        const list = plannedMessages(input);
        for (const m of list) {
          if (input.repliedAt && (m.kind === 'reminder' || m.kind === 'last-call'))
            expect(m.sendAt < input.repliedAt).toBe(true);
        }
        expect(new Set(list.map((m) => m.key)).size).toBe(list.length);
        const nudges = list.filter((m) => m.kind !== 'feedback');
        for (let i = 1; i < nudges.length; i++) expect(nudges[i]!.sendAt > nudges[i - 1]!.sendAt).toBe(true);
      }),
    );
  });
});
