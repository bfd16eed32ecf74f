/**
 * Agenda change highlights and the calendar export: what counts as moved,
 * cancelled, restored, new or removed; the baseline kept in IndexedDB and
 * moved on by a dismissal; materials marked updated only after a version the
 * participant saw; and .ics times converted from the workshop's own zone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VakaDatabase } from '../../../device/db/database';
import { fakeUuid } from '../../../device/sync/testing/fake-sync-server';
import { freshDb, workshopData } from '../../../device/sync/testing/fixtures';
import { agendaCalendar, calendarFileName, sessionCalendar } from './calendar';
import { countChanges, diffAgenda, snapshotOf, type SessionLike } from './changes';
import {
  baselineAgenda,
  baselineAll,
  baselineMaterials,
  dismissAgendaChanges,
  isUpdatedSince,
  markMaterialSeen,
  readSeenMaterials,
  readSeenSessions,
} from './seen-store';

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
    expect(ics).toContain('X-WR-CALNAME:HS 2022, Suva');
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
