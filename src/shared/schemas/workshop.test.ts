/**
 * The links between published records: join links, a material's sessions
 * and the tool summaries workshops and sessions cover. Records written
 * before these fields existed must still parse, with empty defaults.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { AgendaSession, Material, ToolSummary, Workshop } from './workshop';

const W = '0192f7c4-1b2a-7c3d-8e4f-5a6b7c8d9e0f';
const S = '0192f7c4-1b2a-7c3d-8e4f-5a6b7c8d9e1f';

function issuesOf(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const workshop = {
  id: W,
  title: 'WCO Asia/Pacific Regional Workshop on HS 2022 Implementation',
  kind: 'regional',
  topic: 'Harmonized System',
  startDate: '2021-11-09',
  endDate: '2021-11-11',
  timeZone: 'Asia/Bangkok',
  mode: 'online',
  venue: null,
  organisers: ['WCO'],
};
const session = { id: S, workshopId: W, date: '2021-11-09', start: '12:00', end: '13:30', title: 'Opening' };
const material = {
  id: S,
  workshopId: W,
  title: 'Slides',
  language: 'en',
  mediaType: 'application/pdf',
  byteSize: 2048,
  sha256: 'a'.repeat(64),
  version: 1,
};

describe('defaults keep older records valid', () => {
  it('gives a workshop no tools, a session no join link and no tools, a material no sessions', () => {
    expect(Workshop.parse(workshop).toolSlugs).toEqual([]);
    expect(AgendaSession.parse(session)).toMatchObject({ joinUrl: null, toolSlugs: [] });
    expect(Material.parse(material).sessionIds).toEqual([]);
  });
});

describe('join links', () => {
  it('accepts an https link, and null', () => {
    const joinUrl = 'https://example.org/join/hs2022-day1?pwd=abc123';
    expect(AgendaSession.parse({ ...session, joinUrl }).joinUrl).toBe(joinUrl);
    expect(AgendaSession.parse({ ...session, joinUrl: null }).joinUrl).toBeNull();
  });
  it('refuses plain http, other schemes, bare hosts and text, with a clear message', () => {
    const message = 'joinUrl: Must be an https link to join the session online.';
    for (const joinUrl of ['http://example.org/join/1', 'zoommtg://zoom.us/join?confno=1', 'https://meet', 'Zoom']) {
      expect(issuesOf(AgendaSession, { ...session, joinUrl }), joinUrl).toEqual([message]);
    }
  });
});

describe('tool slugs and material sessions', () => {
  it('accept tool summary addresses and session ids', () => {
    const tools = ['harmonized-system-2022', 'customs-valuation'];
    expect(Workshop.parse({ ...workshop, toolSlugs: tools }).toolSlugs).toEqual(tools);
    expect(AgendaSession.parse({ ...session, toolSlugs: tools }).toolSlugs).toEqual(tools);
    expect(Material.parse({ ...material, sessionIds: [S, W] }).sessionIds).toEqual([S, W]);
  });
  it('use the tool summary slug format', () => {
    expect(issuesOf(Workshop, { ...workshop, toolSlugs: ['HS 2022'] })).toEqual([
      'toolSlugs.0: Use lowercase letters, digits and dashes.',
    ]);
    expect(
      issuesOf(ToolSummary, { id: S, slug: 'HS 2022', title: 'x', body: 'y', officialUrl: 'https://x.org' }),
    ).toEqual(['slug: Use lowercase letters, digits and dashes.']);
  });
  it('name each tool or session once', () => {
    expect(issuesOf(AgendaSession, { ...session, toolSlugs: ['customs-valuation', 'customs-valuation'] })).toEqual([
      'toolSlugs: Name each of the tools only once.',
    ]);
    expect(issuesOf(Material, { ...material, sessionIds: [S, S] })).toEqual([
      'sessionIds: Name each of the sessions only once.',
    ]);
  });
  it('refuse a session id that is not a UUID', () => {
    expect(issuesOf(Material, { ...material, sessionIds: ['opening'] })).toEqual(['sessionIds.0: Must be a UUID.']);
  });
});
