/**
 * Tests for the content-pack loader: the shipped demo pack loads, and broken
 * packs are refused with a message naming the file and the JSON path, so a
 * coordinator can find the line to fix.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadContentPack } from './pack';

const DEMO_DIR = path.join(import.meta.dirname, 'demo');

describe('the demo pack', () => {
  it('loads, with every material file verified', async () => {
    const pack = await loadContentPack(DEMO_DIR);
    expect(pack.files).toEqual(['survey-2020-21.json', 'tools.json', 'workshops-2021-22.json']);
    expect(pack.workshops).toHaveLength(19);
    expect(pack.toolSummaries).toHaveLength(16);
    expect(pack.participants).toHaveLength(153);
    expect(pack.roster).toHaveLength(153);
    expect(pack.surveyResponses).toHaveLength(58);
    expect(pack.agendaSessions.length).toBeGreaterThan(0);
    expect(pack.agendaSessions.every((s) => s.sample)).toBe(true);
    expect(pack.materials.length).toBeGreaterThanOrEqual(10);
    for (const m of pack.materials) {
      expect(m.sample).toBe(true);
      expect(path.isAbsolute(m.absolutePath)).toBe(true);
      expect(existsSync(m.absolutePath)).toBe(true);
      expect(m.byteSize).toBeLessThan(16 * 1024);
    }
    expect(pack.materials.filter((m) => m.audience === 'participants').length).toBeGreaterThanOrEqual(1);
  });

  it('has one to two materials for each FY2021/22 workshop', async () => {
    const pack = await loadContentPack(DEMO_DIR);
    const fy22 = pack.workshops.filter((w) => w.startDate >= '2021-07-01');
    expect(fy22).toHaveLength(10);
    for (const w of fy22) {
      const count = pack.materials.filter((m) => m.workshopId === w.id).length;
      expect(count, w.title).toBeGreaterThanOrEqual(1);
      expect(count, w.title).toBeLessThanOrEqual(2);
    }
  });

  it('links sessions to sample join links, their materials and the tool summaries they cover', async () => {
    const pack = await loadContentPack(DEMO_DIR);
    const modeOf = new Map(pack.workshops.map((w) => [w.id, w.mode]));
    for (const s of pack.agendaSessions) {
      if (modeOf.get(s.workshopId) === 'online') expect(s.joinUrl, s.title).toMatch(/^https:\/\/example\.org\/join\//);
      if (modeOf.get(s.workshopId) === 'in-person') expect(s.joinUrl, s.title).toBeNull();
    }
    // Every material serves at least one session; the workbooks and case-study packs serve several.
    for (const m of pack.materials) expect(m.sessionIds.length, m.title).toBeGreaterThanOrEqual(1);
    expect(pack.materials.filter((m) => m.sessionIds.length > 1).length).toBeGreaterThanOrEqual(2);
    const hs2022 = pack.workshops.find((w) => w.title.includes('HS 2022 Implementation'))!;
    expect(hs2022.toolSlugs).toEqual(['harmonized-system-2022']);
    expect(pack.agendaSessions.filter((s) => s.toolSlugs.includes('harmonized-system-2022')).length).toBeGreaterThan(5);
  });

  it('keeps tool summaries between 120 and 250 words with official https links', async () => {
    const pack = await loadContentPack(DEMO_DIR);
    for (const t of pack.toolSummaries) {
      const words = t.body.split(/\s+/).filter(Boolean).length;
      expect(words, t.slug).toBeGreaterThanOrEqual(120);
      expect(words, t.slug).toBeLessThanOrEqual(250);
      expect(new URL(t.officialUrl).hostname, t.slug).toMatch(/(^|\.)(wcoomd\.org|wto\.org)$/);
    }
  });
});

// ---------------------------------------------------------------------------
// Broken packs, built from a small valid one

const W = '11111111-1111-4111-8111-111111111111';
const P = '22222222-2222-4222-8222-222222222222';
const SESSION = '33333333-3333-4333-8333-333333333333';
const TOOL = {
  id: '77777777-7777-4777-8777-777777777777',
  slug: 'customs-valuation',
  title: 'Customs Valuation',
  body: 'The WTO Valuation Agreement.',
  officialUrl: 'https://www.wcoomd.org/',
};
const FILE_BYTES = Buffer.from('%PDF-1.7\n% tiny test file\n');

function validPack() {
  return {
    formatVersion: 1,
    workshops: [
      {
        id: W,
        title: 'Test workshop',
        kind: 'regional',
        topic: 'Testing',
        startDate: '2022-05-24',
        endDate: '2022-05-26',
        timeZone: 'Asia/Bangkok',
        mode: 'online',
        venue: null,
        organisers: ['ROCB A/P'],
      },
    ],
    agendaSessions: [
      {
        id: SESSION,
        workshopId: W,
        date: '2022-05-24',
        start: '09:00',
        end: '10:00',
        title: 'Opening',
      },
    ],
    materials: [
      {
        id: '44444444-4444-4444-8444-444444444444',
        workshopId: W,
        title: 'Slides',
        language: 'en',
        mediaType: 'application/pdf',
        byteSize: FILE_BYTES.byteLength,
        sha256: createHash('sha256').update(FILE_BYTES).digest('hex'),
        version: 1,
        file: 'files/slides.pdf',
      },
    ],
    participants: [{ id: P, fullName: 'Sample Participant', memberCode: 'FJ' }],
    roster: [{ workshopId: W, participantId: P }],
    surveyResponses: [
      {
        id: '55555555-5555-4555-8555-555555555555',
        participantId: P,
        workshopId: W,
        status: 'submitted',
        directEffects: { answer: 'not-yet' },
        workEfficiency: { answer: 'yes' },
        newProjects: { answer: 'no' },
        submittedAt: '2022-12-01T00:00:00Z',
      },
    ],
  };
}

type Pack = ReturnType<typeof validPack>;

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vaka-pack-'));
  await mkdir(path.join(dir, 'files'));
  await writeFile(path.join(dir, 'files', 'slides.pdf'), FILE_BYTES);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writePack(name: string, content: unknown) {
  await writeFile(path.join(dir, name), JSON.stringify(content, null, 2));
}

async function loadWith(edit: (pack: Pack) => void) {
  const pack = validPack();
  edit(pack);
  await writePack('test.json', pack);
  return loadContentPack(dir);
}

describe('loadContentPack on broken packs', () => {
  it('accepts the valid test pack', async () => {
    const pack = await loadWith(() => {});
    expect(pack.workshops[0]!.surveyOpensAfterMonths).toBe(6);
    expect(pack.materials[0]!.absolutePath).toBe(path.join(dir, 'files', 'slides.pdf'));
  });

  it('names file and path when the last day is before the first', async () => {
    await expect(
      loadWith((p) => {
        p.workshops[0]!.endDate = '2022-05-20';
      }),
    ).rejects.toThrow('test.json: workshops[0].endDate: The last day cannot be before the first day.');
  });

  it('names file and path for a malformed date', async () => {
    await expect(
      loadWith((p) => {
        p.agendaSessions[0]!.date = '24/05/2022';
      }),
    ).rejects.toThrow('test.json: agendaSessions[0].date: Must be a date written as YYYY-MM-DD.');
  });

  it('rejects a reference to an unknown workshop', async () => {
    await expect(
      loadWith((p) => {
        p.agendaSessions[0]!.workshopId = '99999999-9999-4999-8999-999999999999';
      }),
    ).rejects.toThrow(
      'test.json: agendaSessions[0].workshopId: Unknown workshop 99999999-9999-4999-8999-999999999999.',
    );
  });

  it('rejects a survey response for a workshop that does not exist, and one from someone not on the roster', async () => {
    await expect(
      loadWith((p) => {
        p.surveyResponses[0]!.workshopId = '99999999-9999-4999-8999-999999999999';
      }),
    ).rejects.toThrow('test.json: surveyResponses[0].workshopId: Unknown workshop');
    await expect(
      loadWith((p) => {
        p.roster = [];
      }),
    ).rejects.toThrow(
      'test.json: surveyResponses[0].participantId: Participant 22222222-2222-4222-8222-222222222222 is not on the roster',
    );
  });

  it('rejects a material whose sha256 does not match its file', async () => {
    await expect(
      loadWith((p) => {
        p.materials[0]!.sha256 = 'a'.repeat(64);
      }),
    ).rejects.toThrow(/^test\.json: materials\[0\]\.sha256: files\/slides\.pdf has digest [0-9a-f]{64}, not a{64}\.$/);
  });

  it('rejects a wrong byte size and a missing file', async () => {
    await expect(
      loadWith((p) => {
        p.materials[0]!.byteSize = 1;
      }),
    ).rejects.toThrow('test.json: materials[0].byteSize: files/slides.pdf has');
    await expect(
      loadWith((p) => {
        p.materials[0]!.file = 'files/missing.pdf';
      }),
    ).rejects.toThrow('test.json: materials[0].file: File files/missing.pdf not found');
  });

  it('rejects a material path that leaves the pack folder', async () => {
    await expect(
      loadWith((p) => {
        p.materials[0]!.file = '/etc/hostname';
      }),
    ).rejects.toThrow('test.json: materials[0].file: The file must be inside the pack folder.');
  });

  it('rejects an unknown member code', async () => {
    await expect(
      loadWith((p) => {
        p.participants[0]!.memberCode = 'XX';
      }),
    ).rejects.toThrow('test.json: participants[0].memberCode: Unknown member code XX.');
  });

  it('names a misspelt key', async () => {
    await expect(
      loadWith((p) => {
        Object.assign(p, { workshop: [] });
      }),
    ).rejects.toThrow('test.json: workshop: Unrecognized key');
  });

  it('rejects duplicate ids across files, naming both places', async () => {
    const second = { formatVersion: 1, participants: [{ id: P, fullName: 'Someone else', memberCode: 'TO' }] };
    await writePack('other.json', second);
    await expect(loadWith(() => {})).rejects.toThrow(
      `test.json: participants[0].id: Duplicate id ${P}; first used at other.json: participants[0].`,
    );
  });

  it('accepts links to sessions and tool summaries in the pack', async () => {
    const pack = await loadWith((p) => {
      Object.assign(p, { toolSummaries: [TOOL] });
      Object.assign(p.workshops[0]!, { toolSlugs: ['customs-valuation'] });
      Object.assign(p.agendaSessions[0]!, { toolSlugs: ['customs-valuation'], joinUrl: 'https://example.org/join/1' });
      Object.assign(p.materials[0]!, { sessionIds: [SESSION] });
    });
    expect(pack.materials[0]!.sessionIds).toEqual([SESSION]);
    expect(pack.agendaSessions[0]!.joinUrl).toBe('https://example.org/join/1');
  });

  it('rejects a tool slug no tool summary has, on a workshop or a session', async () => {
    const error = await loadWith((p) => {
      Object.assign(p, { toolSummaries: [TOOL] });
      Object.assign(p.workshops[0]!, { toolSlugs: ['customs-valuation', 'kyoto'] });
      Object.assign(p.agendaSessions[0]!, { toolSlugs: ['safe-fos'] });
    }).catch((e: unknown) => e);
    expect((error as Error).message.split('\n')).toEqual([
      'test.json: workshops[0].toolSlugs[1]: Unknown tool summary "kyoto": no tool summary has this slug.',
      'test.json: agendaSessions[0].toolSlugs[0]: Unknown tool summary "safe-fos": no tool summary has this slug.',
    ]);
  });

  it('rejects a material serving an unknown session, or a session of another workshop', async () => {
    await expect(
      loadWith((p) => {
        Object.assign(p.materials[0]!, { sessionIds: ['99999999-9999-4999-8999-999999999999'] });
      }),
    ).rejects.toThrow(
      'test.json: materials[0].sessionIds[0]: Unknown agenda session 99999999-9999-4999-8999-999999999999.',
    );
    const other = '66666666-6666-4666-8666-666666666666';
    await expect(
      loadWith((p) => {
        p.workshops.push({ ...p.workshops[0]!, id: other });
        p.agendaSessions[0]!.workshopId = other;
        Object.assign(p.materials[0]!, { sessionIds: [SESSION] });
      }),
    ).rejects.toThrow(
      `test.json: materials[0].sessionIds[0]: Agenda session ${SESSION} belongs to another workshop than this material.`,
    );
  });

  it('rejects a join link on a session of an in-person workshop, and one that is not https', async () => {
    await expect(
      loadWith((p) => {
        Object.assign(p.workshops[0]!, { mode: 'in-person', venue: { city: 'Suva', country: 'Fiji' } });
        Object.assign(p.agendaSessions[0]!, { joinUrl: 'https://example.org/join/1' });
      }),
    ).rejects.toThrow(
      'test.json: agendaSessions[0].joinUrl: A join link is only for online or hybrid workshops; this workshop is in person.',
    );
    await expect(
      loadWith((p) => {
        Object.assign(p.agendaSessions[0]!, { joinUrl: 'http://example.org/join/1' });
      }),
    ).rejects.toThrow('test.json: agendaSessions[0].joinUrl: Must be an https link to join the session online.');
  });

  it('rejects invalid JSON', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{ "formatVersion": 1,');
    await expect(loadContentPack(dir)).rejects.toThrow(/^broken\.json: line 1: Not valid JSON/);
  });

  it('reports every problem at once, one per line', async () => {
    const error: unknown = await loadWith((p) => {
      p.participants[0]!.memberCode = 'XX';
      p.agendaSessions[0]!.date = '2022-06-30';
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const lines = (error as Error).message.split('\n');
    expect(lines).toContain('test.json: participants[0].memberCode: Unknown member code XX.');
    expect(lines).toContain(
      "test.json: agendaSessions[0].date: 2022-06-30 is outside the workshop's dates (2022-05-24 to 2022-05-26).",
    );
  });
});
