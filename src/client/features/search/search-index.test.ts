/**
 * Offline search: one index over workshops, sessions, materials, tool
 * summaries and the participant's notes; accent- and case-blind prefix
 * matching; links to the right screens; withdrawn content left out; the
 * index rebuilt when a sync or a local write changes the data; excerpts
 * with the matching words marked.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSyncState, INITIAL_SYNC_STATE, type VakaDatabase } from '../../../device/db/database';
import { fakeUuid } from '../../../device/sync/testing/fake-sync-server';
import { freshDb, workshopData } from '../../../device/sync/testing/fixtures';
import { excerpt, search } from './search-index';

let db: VakaDatabase;
const workshopId = fakeUuid();
const meta = { _version: 1, _deleted: false, _updatedAt: '2025-01-01T00:00:00.000Z' };

beforeEach(async () => {
  db = freshDb('search');
  await db.workshops.put({
    ...workshopData(workshopId),
    summary: 'Post-clearance audit in the Pacific',
    sponsor: null,
    administrations: [],
    surveyOpensAfterMonths: 6,
    surveyDueAfterDays: 21,
    status: 'published',
    translations: { fr: { title: 'Atelier sur l’audit a posteriori' } },
    toolSlugs: [],
    ...meta,
  });
  await db.agendaSessions.bulkPut([
    {
      id: 'session-1',
      workshopId,
      date: '2024-06-10',
      start: '09:00',
      end: '10:00',
      title: 'Risk management for PCA',
      description: 'Selecting companies for audit with a risk-based approach.',
      speakers: ['Mele Taufa'],
      room: 'Salle Réunion',
      status: 'scheduled',
      joinUrl: null,
      toolSlugs: [],
      sample: false,
      ...meta,
    },
    {
      id: 'session-gone',
      workshopId,
      date: '2024-06-10',
      start: '11:00',
      end: '12:00',
      title: 'Withdrawn risk session',
      description: '',
      speakers: [],
      room: '',
      status: 'scheduled',
      joinUrl: null,
      toolSlugs: [],
      sample: false,
      ...meta,
      _deleted: true,
    },
  ]);
  await db.materials.put({
    id: 'material-1',
    workshopId,
    title: 'Audit handbook',
    language: 'en',
    mediaType: 'application/pdf',
    byteSize: 10,
    sha256: 'a'.repeat(64),
    version: 1,
    audience: 'public',
    sessionIds: [],
    sample: false,
    ...meta,
  });
  await db.toolSummaries.put({
    id: fakeUuid(),
    slug: 'revised-kyoto',
    title: 'Revised Kyoto Convention',
    body: '## Simplified procedures\n\nThe [RKC](https://www.wcoomd.org) sets **risk management** standards.',
    officialUrl: 'https://www.wcoomd.org',
    tags: ['facilitation'],
    translations: {},
    ...meta,
  });
});

afterEach(() => db.close());

describe('search', () => {
  it('finds sessions, materials, tools and workshops, linking to their screens', async () => {
    const hits = await search(db, 'en', 'risk');
    const byKind = Object.fromEntries(hits.map((h) => [h.kind, h.href]));
    expect(byKind.session).toBe(`/workshops/${workshopId}#session-session-1`);
    expect(byKind.tool).toBe('/tools/revised-kyoto');
    expect(hits.some((h) => h.title.includes('Withdrawn'))).toBe(false);
    expect((await search(db, 'en', 'handbook'))[0]).toMatchObject({ kind: 'material', href: '/materials/material-1' });
    expect((await search(db, 'en', 'pacific'))[0]).toMatchObject({
      kind: 'workshop',
      href: `/workshops/${workshopId}`,
    });
  });

  it('ignores case and accents, matches prefixes and speakers', async () => {
    expect((await search(db, 'en', 'reunion'))[0]?.id).toBe('session:session-1');
    expect((await search(db, 'en', 'TAUF'))[0]?.id).toBe('session:session-1');
    expect(await search(db, 'en', 'r')).toEqual([]);
  });

  it('uses the reader’s language for translated titles', async () => {
    expect((await search(db, 'fr', 'atelier'))[0]?.kind).toBe('workshop');
    expect(await search(db, 'en', 'atelier')).toEqual([]);
  });

  it('includes the participant’s own notes, and sees a new note without a restart', async () => {
    expect(await search(db, 'en', 'brokers')).toEqual([]);
    await db.followUpActions.put({
      id: 'note-1',
      participantId: fakeUuid(),
      workshopId,
      kind: 'share-materials',
      date: '2024-07-01',
      description: 'Briefed the customs brokers association',
      audience: 'Brokers',
      channel: null,
      attendees: null,
      evidence: [],
      ...meta,
      _version: 0,
    });
    await writeSyncState(db, { ...INITIAL_SYNC_STATE, nextMid: 2 });
    expect((await search(db, 'en', 'brokers'))[0]).toMatchObject({
      kind: 'note',
      href: `/workshops/${workshopId}/follow-up/note-1`,
    });
  });
  it('follows edits and deletions after the first search (the index is updated, not stale)', async () => {
    expect((await search(db, 'en', 'handbook'))[0]?.id).toBe('material:material-1');
    const session = await db.agendaSessions.get('session-1');
    if (!session) throw new Error('fixture session missing');
    await db.agendaSessions.put({ ...session, title: 'Valuation clinic' });
    await db.materials.update('material-1', { _deleted: true });
    expect(await search(db, 'en', 'handbook')).toEqual([]);
    expect((await search(db, 'en', 'valuation'))[0]?.id).toBe('session:session-1');
    expect((await search(db, 'en', 'management')).map((h) => h.id)).not.toContain('session:session-1');
  });
});

describe('excerpt', () => {
  it('marks the matching words, accent-blind, and trims around the first', () => {
    const text = `${'word '.repeat(40)}the Réunion room is upstairs`;
    const segments = excerpt(text, ['reunion']);
    expect(segments[0]).toEqual({ text: '…', match: false });
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(['Réunion']);
    expect(segments.map((s) => s.text).join('')).toContain('the Réunion room is upstairs');
  });

  it('returns the start of the text when nothing matches', () => {
    expect(excerpt('Short text', ['zzz'])).toEqual([{ text: 'Short text', match: false }]);
  });
});
