/**
 * Agenda change highlights and the calendar export: what counts as moved,
 * cancelled, restored, new or removed; the baseline kept in IndexedDB and
 * moved on by a dismissal; materials marked updated only after a version the
 * participant saw; and .ics times converted from the workshop's own zone,
 * read back by an independent parser (ical.js) to check RFC 5545 folding
 * and escaping.
 */
import ICAL from 'ical.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VakaDatabase } from '../../../device/db/database';
import { fakeUuid } from '../../../device/sync/testing/fake-sync-server';
import { freshDb, workshopData } from '../../../device/sync/testing/fixtures';
import { agendaCalendar, calendarFileName, sessionCalendar } from './calendar';
import { countChanges, diffAgenda, snapshotOf, type SessionLike } from './changes';
import { baselineMaterials, isUpdatedSince, markMaterialSeen, readSeenMaterials } from '../../content/seen-materials';
import { baselineAgenda, baselineAll, dismissAgendaChanges, readSeenSessions } from './seen-store';

const workshopId = fakeUuid();
const session = (extra: Partial<SessionLike> = {}): SessionLike => ({
  id: fakeUuid(),
  workshopId,
  date: '2024-06-10',
  start: '09:00',
  end: '10:30',
  status: 'scheduled',
  title: 'Opening',
  ...extra,
});

describe('diffAgenda', () => {
  it('reports nothing without a baseline', () => {
    const set = diffAgenda([], [session()]);
    expect(set.noBaseline).toBe(true);
    expect(countChanges(set)).toBe(0);
  });

  it('tells moved, cancelled, restored, new and removed sessions apart', () => {
    const same = session();
    const moved = session({ start: '11:00', end: '12:00' });
    const cancelled = session();
    const restored = session({ status: 'cancelled' });
    const removed = session();
    const removedCancelled = session({ status: 'cancelled' });
    const seen = [same, moved, cancelled, restored, removed, removedCancelled].map(snapshotOf);
    const fresh = session();
    const freshCancelled = session({ status: 'cancelled' });
    const now = [
      same,
      { ...moved, date: '2024-06-11' },
      { ...cancelled, status: 'cancelled' as const, start: '15:00' },
      { ...restored, status: 'scheduled' as const },
      fresh,
      freshCancelled,
    ];
    const set = diffAgenda(seen, now);
    expect(set.noBaseline).toBe(false);
    expect(set.bySession.get(same.id)).toBeUndefined();
    expect(set.bySession.get(moved.id)).toEqual({
      kind: 'moved',
      from: expect.objectContaining({ date: '2024-06-10', start: '11:00', end: '12:00' }),
    });
    expect(set.bySession.get(cancelled.id)).toEqual({ kind: 'cancelled' });
    expect(set.bySession.get(restored.id)).toEqual({ kind: 'restored' });
    expect(set.bySession.get(fresh.id)).toEqual({ kind: 'new' });
    expect(set.bySession.has(freshCancelled.id)).toBe(false);
    expect(set.removed.map((s) => s.sessionId)).toEqual([removed.id]);
    expect(countChanges(set)).toBe(5);
  });
});

describe('seen store', () => {
  let db: VakaDatabase;
  beforeEach(() => {
    db = freshDb('seen');
  });
  afterEach(() => db.close());

  const meta = { _version: 1, _deleted: false, _updatedAt: '2025-01-01T00:00:00.000Z' };
  const putSession = (s: SessionLike) =>
    db.agendaSessions.put({
      ...s,
      description: '',
      speakers: [],
      room: '',
      joinUrl: null,
      toolSlugs: [],
      sample: false,
      ...meta,
    });

  it('baselines once, compares later syncs with it, and moves on when dismissed', async () => {
    const a = session();
    const b = session({ start: '11:00', end: '12:00' });
    await putSession(a);
    await putSession(b);
    await baselineAgenda(db, workshopId);
    expect(await readSeenSessions(db, workshopId)).toHaveLength(2);

    // A sync moves b; a second baseline call must not hide that.
    await putSession({ ...b, start: '14:00', end: '15:00' });
    await baselineAgenda(db, workshopId);
    const current = (await db.agendaSessions.toArray()).filter((s) => !s._deleted);
    let set = diffAgenda(await readSeenSessions(db, workshopId), current);
    expect(set.bySession.get(b.id)?.kind).toBe('moved');

    await dismissAgendaChanges(db, workshopId);
    set = diffAgenda(await readSeenSessions(db, workshopId), current);
    expect(countChanges(set)).toBe(0);
    expect(set.noBaseline).toBe(false);
  });

  it('does not baseline an agenda that has not arrived yet', async () => {
    await baselineAgenda(db, workshopId);
    expect(await readSeenSessions(db, workshopId)).toEqual([]);
    await db.workshops.put({ ...workshopData(workshopId), ...meta } as never);
    const s = session();
    await putSession(s);
    await baselineAll(db);
    expect((await readSeenSessions(db, workshopId)).map((r) => r.sessionId)).toEqual([s.id]);
  });

  it('marks a material updated only when its version passed the one the participant saw', async () => {
    const material = {
      id: fakeUuid(),
      workshopId,
      title: 'Slides',
      language: 'en',
      mediaType: 'application/pdf',
      byteSize: 10,
      sha256: 'a'.repeat(64),
      version: 1,
      audience: 'public' as const,
      sessionIds: [],
      sample: false,
      ...meta,
    };
    await db.materials.put(material);
    await baselineMaterials(db, workshopId);
    await db.materials.put({ ...material, version: 2, sha256: 'b'.repeat(64) });
    await baselineMaterials(db, workshopId);
    const seen = await readSeenMaterials(db, workshopId);
    expect(isUpdatedSince(seen.get(material.id), { version: 2 })).toBe(true);
    await markMaterialSeen(db, { ...material, version: 2 });
    expect(isUpdatedSince((await readSeenMaterials(db, workshopId)).get(material.id), { version: 2 })).toBe(false);
    // Never seen at all: new, not "updated".
    expect(isUpdatedSince(undefined, { version: 5 })).toBe(false);
  });
});

describe('agendaCalendar', () => {
  const workshop = {
    id: workshopId,
    title: 'HS 2022, Suva',
    timeZone: 'Pacific/Fiji',
    mode: 'in-person' as const,
    venue: { name: 'Grand Pacific Hotel', city: 'Suva', country: 'Fiji' },
  };
  const full = (extra: Partial<SessionLike> = {}, joinUrl: string | null = null) => ({
    ...session(extra),
    description: 'Welcome; agenda',
    speakers: ['WCO Secretariat', 'ROCB A/P'],
    room: 'Room 1',
    joinUrl,
    _version: 4,
  });
  const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, '');

  it('writes each session in UTC from the workshop zone, with a stable UID and SEQUENCE', () => {
    const s = full({ date: '2024-06-10', start: '09:30', end: '10:45' });
    const ics = agendaCalendar(workshop, [s], { speakers: (names) => `Speakers: ${names.join(', ')}` });
    // Fiji is UTC+12 in June: 09:30 on the 10th is 21:30 UTC on the 9th.
    expect(ics).toContain('DTSTART:20240609T213000Z');
    expect(ics).toContain('DTEND:20240609T224500Z');
    expect(ics).toContain(`UID:${s.id}@vaka`);
    expect(ics).toContain('SEQUENCE:4');
    expect(ics).toContain('STATUS:CONFIRMED');
    expect(ics).toContain('SUMMARY:Opening');
    // X-WR-CALNAME is TEXT: its comma is escaped (RFC 5545 §3.3.11).
    expect(ics).toContain('X-WR-CALNAME:HS 2022\\, Suva');
    expect(unfold(ics)).toContain('LOCATION:Room 1\\, Grand Pacific Hotel\\, Suva\\, Fiji');
  });

  it('follows daylight saving in the workshop zone and marks cancelled sessions', () => {
    // Sydney: UTC+11 in January (daylight saving), UTC+10 in July.
    const zone = { ...workshop, timeZone: 'Australia/Sydney', mode: 'online' as const, venue: null };
    const summer = full({ date: '2025-01-15', start: '09:00', end: '10:00' });
    const winter = full({ date: '2025-07-15', start: '09:00', end: '10:00', status: 'cancelled' });
    const ics = agendaCalendar(zone, [summer, winter], { speakers: () => '' });
    expect(ics).toContain('DTSTART:20250114T220000Z');
    expect(ics).toContain('DTSTART:20250714T230000Z');
    expect(ics).toContain('STATUS:CANCELLED');
  });

  it('exports one online session with its join link as URL and LOCATION, under the same UID as in the agenda', () => {
    const online = {
      ...workshop,
      title: 'HS 2022 online',
      timeZone: 'Asia/Bangkok',
      mode: 'online' as const,
      venue: null,
    };
    const joinUrl = 'https://example.org/join/sample-hs2022-2021-11-09';
    const s = full({ date: '2021-11-09', start: '12:00', end: '13:30', title: 'Opening remarks' }, joinUrl);
    const ics = unfold(sessionCalendar(online, s, { speakers: (names) => `Speakers: ${names.join(', ')}` }));
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    // Bangkok is UTC+7: noon on the 9th is 05:00 UTC.
    expect(ics).toContain('DTSTART:20211109T050000Z');
    expect(ics).toContain('DTEND:20211109T063000Z');
    expect(ics).toContain(`UID:${s.id}@vaka`);
    expect(ics).toContain('SUMMARY:Opening remarks');
    expect(ics).toContain(`URL:${joinUrl}`);
    expect(ics).toContain(`LOCATION:${joinUrl}`);
    expect(ics).toContain(`DESCRIPTION:Welcome\\; agenda\\n\\nSpeakers: WCO Secretariat\\, ROCB A/P\\n\\n${joinUrl}`);
  });

  it('keeps a hybrid session’s room as its place and its join link as URL; an in-person one has no link', () => {
    const hybrid = { ...workshop, mode: 'hybrid' as const };
    const joinUrl = 'https://example.org/join/sample-da-pi-2022-2022-06-07';
    const ics = unfold(sessionCalendar(hybrid, full({}, joinUrl), { speakers: () => '' }));
    expect(ics).toContain(`URL:${joinUrl}`);
    expect(ics).toContain('LOCATION:Room 1\\, Grand Pacific Hotel\\, Suva\\, Fiji');
    const inPerson = unfold(sessionCalendar(workshop, full({}, joinUrl), { speakers: () => '' }));
    expect(inPerson).not.toContain('URL:');
    expect(inPerson).not.toContain(joinUrl);
  });

  it('names the file after the workshop, or the session', () => {
    expect(calendarFileName('Atelier régional : SH 2022')).toBe('atelier-regional-sh-2022-agenda.ics');
    expect(calendarFileName('کارگاه')).toBe('workshop-agenda.ics');
    expect(calendarFileName('Opening remarks', 'session')).toBe('opening-remarks-session.ics');
    expect(calendarFileName('افتتاحیه', 'session')).toBe('vaka-session.ics');
  });
});

describe('agendaCalendar read by an independent parser (RFC 5545)', () => {
  const octets = (line: string) => new TextEncoder().encode(line).length;
  const unfoldedLines = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  // The same wall clock read back in the workshop's zone by the platform's own time-zone data.
  const wallClock = (instant: Date, zone: string) => {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(instant);
    const part = (type: string) => parts.find((p) => p.type === type)?.value;
    return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}` };
  };
  const parse = (ics: string) => {
    // X-WR-CALNAME is a TEXT value by convention (Apple's); an unknown X- property is raw to the parser.
    ICAL.design.defaultSet.property['x-wr-calname'] = { defaultType: 'text' };
    return new ICAL.Component(ICAL.parse(ics));
  };
  const speakers = (names: string[]) => `Speakers: ${names.join(', ')}`;

  const cases = [
    {
      language: 'Tongan',
      workshop: {
        id: workshopId,
        title: 'Fakataha ʻa e Kasitomu ʻo e Pasifiki, Nukuʻalofa; ʻAho ʻUluaki ki he ngāue fakapuleʻanga',
        timeZone: 'Pacific/Tongatapu',
        mode: 'in-person' as const,
        venue: { name: 'Fale Fakataha ʻa e Puleʻanga', city: 'Nukuʻalofa', country: 'Tonga' },
      },
      sessions: [
        {
          ...session({
            date: '2026-03-02',
            start: '09:00',
            end: '10:30',
            title: 'Talateu: ko e hā ʻa e ngāue ʻa e kasitomu ʻi he fefakatauʻaki ʻi he vahaʻa puleʻanga',
          }),
          description: 'Ko e fakamatala ki he ngaahi tuʻutuʻuni foʻou, pea mo e ngaahi fehuʻi; talanoa fakataha',
          speakers: ['Siosaia Tuʻipulotu', 'Mele Fifita'],
          room: 'Loki ʻUluaki',
          joinUrl: null,
          _version: 3,
        },
        {
          ...session({ date: '2026-03-02', start: '11:00', end: '12:15', status: 'cancelled', title: 'Fakaʻosi' }),
          description: '',
          speakers: [],
          room: '',
          joinUrl: null,
          _version: 1,
        },
      ],
      // Tonga is UTC+13 all year.
      utc: ['2026-03-01T20:00:00.000Z', '2026-03-01T22:00:00.000Z'],
    },
    {
      language: 'Persian',
      workshop: {
        id: workshopId,
        title: 'کارگاه منطقه‌ای مدیریت ریسک گمرکی، تهران؛ تسهیل تجارت (WCO, ROCB A/P; 2026) برای آسیا و اقیانوسیه',
        timeZone: 'Asia/Tehran',
        mode: 'online' as const,
        venue: null,
      },
      sessions: [
        {
          ...session({
            date: '2026-06-15',
            start: '09:30',
            end: '11:00',
            title: 'افتتاحیه: نقش گمرک در تسهیل تجارت، ارزیابی ریسک و پیگیری اقدامات پس از کارگاه',
          }),
          description: 'معرفی برنامه؛ پرسش و پاسخ\nبا حضور کارشناسان سازمان جهانی گمرک',
          speakers: ['دکتر مریم احمدی', 'علی رضایی'],
          room: '',
          joinUrl: 'https://example.org/join/کارگاه-تهران-۱۴۰۵',
          _version: 7,
        },
      ],
      // Iran is UTC+3:30 all year (no daylight saving since 2022).
      utc: ['2026-06-15T06:00:00.000Z'],
    },
  ];

  for (const { language, workshop, sessions, utc } of cases) {
    it(`keeps every line of a ${language} agenda and session file within 75 octets, text intact, times in UTC`, () => {
      const files = [
        { ics: agendaCalendar(workshop, sessions, { speakers }), shown: sessions },
        ...sessions.map((s) => ({ ics: sessionCalendar(workshop, s, { speakers }), shown: [s] })),
      ];
      for (const { ics, shown } of files) {
        expect(ics.endsWith('\r\n')).toBe(true);
        const physical = ics.slice(0, -2).split('\r\n');
        for (const line of physical) expect(octets(line), line).toBeLessThanOrEqual(75);
        expect(physical.some((line) => line.startsWith(' '))).toBe(true);
        expect(ics).not.toContain('\uFFFD');
        // Every TEXT value escapes its commas and semicolons, the calendar name included.
        for (const line of unfoldedLines(ics).filter((l) => /^(X-WR-CALNAME|SUMMARY|DESCRIPTION|LOCATION):/.test(l))) {
          expect(line.slice(line.indexOf(':') + 1), line).not.toMatch(/(^|[^\\])[,;]/);
        }

        const calendar = parse(ics);
        expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(workshop.title);
        const events = calendar.getAllSubcomponents('vevent');
        expect(events).toHaveLength(shown.length);
        for (const s of shown) {
          const event = events.find((e) => e.getFirstPropertyValue('uid') === `${s.id}@vaka`);
          expect(event, s.title).toBeDefined();
          if (!event) continue;
          expect(event.getFirstPropertyValue('summary')).toBe(s.title);
          expect(event.getFirstPropertyValue('status')).toBe(s.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
          expect(event.getFirstPropertyValue('sequence')).toBe(s._version);
          const joinUrl = s.joinUrl;
          const description = [s.description, s.speakers.length > 0 ? speakers(s.speakers) : '', joinUrl ?? '']
            .filter((part) => part.length > 0)
            .join('\n\n');
          expect(event.getFirstPropertyValue('description')).toBe(description || null);
          const place = workshop.venue ? [workshop.venue.name, workshop.venue.city, workshop.venue.country] : [];
          const location = joinUrl ?? [s.room, ...place].filter((p) => p.length > 0).join(', ');
          expect(event.getFirstPropertyValue('location')).toBe(location || null);
          if (joinUrl) expect(event.getFirstPropertyValue('url')).toBe(joinUrl);

          const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
          const end = event.getFirstPropertyValue('dtend') as ICAL.Time;
          expect(start.zone?.tzid).toBe('UTC');
          expect(end.zone?.tzid).toBe('UTC');
          const index = sessions.findIndex((each: { id: string }) => each.id === s.id);
          expect(start.toJSDate().toISOString()).toBe(utc[index]);
          expect(wallClock(start.toJSDate(), workshop.timeZone)).toEqual({ date: s.date, time: s.start });
          expect(wallClock(end.toJSDate(), workshop.timeZone)).toEqual({ date: s.date, time: s.end });
        }
      }
    });
  }
});
