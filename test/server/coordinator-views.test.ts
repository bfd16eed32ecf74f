/**
 * The coordinator workspace's read views on both databases: drafts are
 * listed for coordinators while devices never receive them, a workshop
 * comes back with its agenda, materials and roster for editing, tool
 * summaries are listed, a participant can be taken off a roster, and none
 * of it is open to devices or strangers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addParticipant, addWorkshop, coordinatorToken, enrol, issueCode, sync } from './fixtures';
import { putRecord } from '../../src/server/sync/publish';

interface ListBody {
  workshops: {
    workshop: { id: string; title: string; status: string; startDate: string };
    version: number;
    updatedAt: string;
    counts: { sessions: number; materials: number; roster: number };
  }[];
}

interface DetailBody {
  workshop: { id: string; status: string };
  version: number;
  sessions: { id: string; start: string }[];
  materials: { id: string }[];
  roster: { id: string; fullName: string; memberCode: string; devices: number; lastContact: string | null }[];
}

describe.each(DB_KINDS)('coordinator views on %s', (kind) => {
  let s: TestServer;
  let auth: { authorization: string };
  let token: string;
  let published: string;
  let draft: string;
  let participantId: string;

  beforeAll(async () => {
    s = await startTestServer(kind);
    token = await coordinatorToken(s);
    auth = { authorization: `Bearer ${token}` };
    published = await addWorkshop(s, { startDate: '2022-06-14', endDate: '2022-06-16' });
    draft = await addWorkshop(s, {
      title: 'WCO Regional Workshop on Customs Laboratories (draft)',
      kind: 'regional',
      startDate: '2027-03-01',
      endDate: '2027-03-03',
      status: 'draft',
    });
    const now = new Date().toISOString();
    for (const [start, end] of [
      ['11:00', '12:00'],
      ['09:00', '10:30'],
    ] as const) {
      await putRecord(
        s.database.db,
        'agendaSessions',
        { id: randomUUID(), workshopId: published, date: '2022-06-14', start, end, title: `Session ${start}` },
        now,
      );
    }
    participantId = await addParticipant(s, token, [published, draft], 'TO');
    await addParticipant(s, token, [published], 'FJ');
  });

  afterAll(async () => {
    await s.close();
  });

  it('lists every workshop, drafts included, newest first, with counts', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/coordinator/workshops', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json() as ListBody;
    expect(body.workshops.map((w) => w.workshop.id)).toEqual([draft, published]);
    expect(body.workshops[0]).toMatchObject({
      workshop: { status: 'draft' },
      counts: { sessions: 0, materials: 0, roster: 1 },
    });
    expect(body.workshops[1]).toMatchObject({
      workshop: { status: 'published' },
      counts: { sessions: 2, materials: 0, roster: 2 },
    });
    expect(body.workshops[1]!.version).toBeGreaterThan(0);
    expect(body.workshops[1]!.updatedAt).toMatch(/Z$/);
  });

  it("keeps a draft's agenda off devices while coordinators see it", async () => {
    const sessionId = randomUUID();
    await putRecord(
      s.database.db,
      'agendaSessions',
      { id: sessionId, workshopId: draft, date: '2027-03-01', start: '09:00', end: '10:00', title: 'Opening' },
      new Date().toISOString(),
    );
    const anon = await sync(s, null, {});
    expect(anon.body.changes.map((c) => c.id)).not.toContain(sessionId);
    const detail = (
      await s.app.inject({ method: 'GET', url: `/api/v1/coordinator/workshops/${draft}`, headers: auth })
    ).json() as DetailBody;
    expect(detail.sessions.map((x) => x.id)).toEqual([sessionId]);
  });

  it('returns one workshop with sessions in agenda order and the roster with device contact', async () => {
    const device = await enrol(s, await issueCode(s, token, participantId));
    await sync(s, device.token, {});
    const res = await s.app.inject({
      method: 'GET',
      url: `/api/v1/coordinator/workshops/${published}`,
      headers: auth,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as DetailBody;
    expect(body.workshop.id).toBe(published);
    expect(body.sessions.map((x) => x.start)).toEqual(['09:00', '11:00']);
    expect(body.materials).toEqual([]);
    expect(body.roster.map((p) => p.memberCode)).toEqual(['FJ', 'TO']);
    const enrolled = body.roster.find((p) => p.id === participantId)!;
    expect(enrolled.devices).toBe(1);
    expect(enrolled.lastContact).not.toBeNull();
    expect(body.roster.find((p) => p.id !== participantId)).toMatchObject({ devices: 0, lastContact: null });
  });

  it('shows a draft to coordinators and answers 404 for an unknown or withdrawn workshop', async () => {
    const d = await s.app.inject({ method: 'GET', url: `/api/v1/coordinator/workshops/${draft}`, headers: auth });
    expect(d.statusCode).toBe(200);
    expect((d.json() as DetailBody).workshop.status).toBe('draft');

    const unknown = await s.app.inject({
      method: 'GET',
      url: `/api/v1/coordinator/workshops/${randomUUID()}`,
      headers: auth,
    });
    expect(unknown.statusCode).toBe(404);

    const gone = await addWorkshop(s, { title: 'Withdrawn workshop' });
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/workshops/${gone}`, headers: auth })).statusCode).toBe(
      200,
    );
    expect(
      (await s.app.inject({ method: 'GET', url: `/api/v1/coordinator/workshops/${gone}`, headers: auth })).statusCode,
    ).toBe(404);
    const list = (
      await s.app.inject({ method: 'GET', url: '/api/v1/coordinator/workshops', headers: auth })
    ).json() as ListBody;
    expect(list.workshops.map((w) => w.workshop.id)).not.toContain(gone);
  });

  it('lists tool summaries by title', async () => {
    const now = new Date().toISOString();
    for (const [slug, title] of [
      ['rkc', 'Revised Kyoto Convention'],
      ['aeo', 'Authorized Economic Operator'],
    ]) {
      await putRecord(
        s.database.db,
        'toolSummaries',
        { id: randomUUID(), slug, title, body: `# ${title}`, officialUrl: 'https://www.wcoomd.org/' },
        now,
      );
    }
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/coordinator/tool-summaries', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { toolSummaries: { toolSummary: { slug: string } }[] };
    expect(body.toolSummaries.map((x) => x.toolSummary.slug)).toEqual(['aeo', 'rkc']);
  });

  it('takes a participant off a roster, once', async () => {
    const someone = await addParticipant(s, token, [draft], 'WS');
    const url = `/api/v1/coordinator/workshops/${draft}/roster/${someone}`;
    expect((await s.app.inject({ method: 'DELETE', url, headers: auth })).statusCode).toBe(204);
    expect((await s.app.inject({ method: 'DELETE', url, headers: auth })).statusCode).toBe(404);
    const body = (
      await s.app.inject({ method: 'GET', url: `/api/v1/coordinator/workshops/${draft}`, headers: auth })
    ).json() as DetailBody;
    expect(body.roster.map((p) => p.id)).toEqual([participantId]);
  });

  it('is closed to strangers and devices, and checks ids', async () => {
    const device = await enrol(s, await issueCode(s, token, participantId));
    const dev = { authorization: `Bearer ${device.token}` };
    for (const url of [
      '/api/v1/coordinator/workshops',
      `/api/v1/coordinator/workshops/${published}`,
      '/api/v1/coordinator/tool-summaries',
    ]) {
      expect((await s.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      expect((await s.app.inject({ method: 'GET', url, headers: dev })).statusCode, url).toBe(403);
    }
    expect(
      (
        await s.app.inject({
          method: 'DELETE',
          url: `/api/v1/coordinator/workshops/${published}/roster/${participantId}`,
          headers: dev,
        })
      ).statusCode,
    ).toBe(403);
    const bad = await s.app.inject({ method: 'GET', url: '/api/v1/coordinator/workshops/not-a-uuid', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/coordinator/workshops',
        '/api/v1/coordinator/workshops/{id}',
        '/api/v1/coordinator/workshops/{id}/roster/{participantId}',
        '/api/v1/coordinator/tool-summaries',
      ]),
    );
  });
});
