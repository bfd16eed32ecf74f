/**
 * Coordinator API on both databases, over the demo content: publishing
 * reaches devices as deltas and tombstones, material versions follow file
 * changes, replies show three states, and the survey report computed by the
 * server reproduces the published per-workshop rows of the seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { coordinatorToken, sync } from './fixtures';
import { seedDemo } from '../../src/server/content/seed';
import { FileStore, registerFile } from '../../src/server/files/store';

describe.each(DB_KINDS)('coordinator API with demo content on %s', (kind) => {
  let s: TestServer;
  let token: string;
  let auth: { authorization: string };
  beforeAll(async () => {
    s = await startTestServer(kind);
    const log = await seedDemo(s.database.db, s.config, { demoAccounts: true });
    const text = log.map((l) => l.text).join('\n');
    expect(text).toMatch(/Loaded demo content: 19 workshops.*, and 2 sample workshops dated from today\./);
    expect(text).toMatch(/Demo coordinator: .* \/ \S{12,}/);
    // The password and the enrolment code are the lines main.ts makes stand out in the log.
    expect(log.filter((l) => l.standOut).map((l) => l.text)).toEqual([
      expect.stringMatching(/^Demo coordinator: /),
      expect.stringMatching(/^Demo participant enrolment code \(Sample workshop in progress .*\): \S+$/),
    ]);
    token = await coordinatorToken(s);
    auth = { authorization: `Bearer ${token}` };
  }, 120_000);
  afterAll(async () => {
    await s.close();
  });

  it('seeds only once', async () => {
    expect(await seedDemo(s.database.db, s.config, { demoAccounts: true })).toEqual([]);
  });

  it('computes the FY2020/21 survey report from the records, matching the published rows', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/reports/survey?fiscalYear=2020/21', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      workshops: { title: string }[];
      tables: {
        table1: {
          rows: { participants: number; replies: number }[];
          total: { participants: number; replies: number; replyRate: { percent: number } };
        };
        table2: { rows: { actions: Record<string, number> }[] };
      };
      indicators: { tangibleResults: number };
    };
    expect(body.workshops).toHaveLength(9);
    expect(body.tables.table1.rows.map((r) => r.replies)).toEqual([5, 7, 6, 10, 6, 9, 8, 5, 2]);
    expect(body.tables.table1.rows.map((r) => r.participants)).toEqual([6, 7, 22, 25, 17, 21, 18, 19, 18]);
    expect(body.tables.table1.total).toMatchObject({ participants: 153, replies: 58, replyRate: { percent: 38 } });
    expect(body.tables.table2.rows.map((r) => r.actions['share-materials'])).toEqual([5, 6, 3, 10, 3, 8, 6, 5, 2]);
    expect(body.indicators.tangibleResults).toBe(36);
  });

  it('refuses the report to devices and strangers, and a malformed fiscal year with a hint', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/reports/survey?fiscalYear=2020/21' })).statusCode).toBe(
      401,
    );
    const bad = await s.app.inject({ method: 'GET', url: '/api/v1/reports/survey?fiscalYear=2021', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: expect.stringMatching(/2020\/21/) });
  });

  it('shows who replied to a workshop', async () => {
    const anon = await sync(s, null, {});
    const pca = anon.body.changes.find(
      (c) =>
        c.collection === 'workshops' &&
        String((c.data as { title: string }).title).includes('PCA') &&
        String((c.data as { title: string }).title).includes('Pacific'),
    );
    expect(pca).toBeDefined();
    const res = await s.app.inject({ method: 'GET', url: `/api/v1/workshops/${pca!.id}/replies`, headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { totals: { roster: number; submitted: number }; participants: { state: string }[] };
    expect(body.totals).toMatchObject({ roster: 6, submitted: 5 });
  });

  it('publishes a workshop, a session and a material as deltas; withdrawing sends tombstones', async () => {
    const first = await sync(s, null, {});
    let cursors = first.body.cursors;
    const epoch = first.body.epoch;
    const id = randomUUID();
    const workshop = {
      id,
      title: 'WCO National Workshop on Risk Management for Tonga Customs',
      kind: 'national',
      topic: 'Risk management',
      startDate: '2027-02-01',
      endDate: '2027-02-03',
      timeZone: 'Pacific/Tongatapu',
      mode: 'in-person',
      venue: { city: "Nuku'alofa", country: 'Tonga' },
      organisers: ['ROCB A/P', 'WCO'],
      administrations: ['TO'],
    };
    const put = await s.app.inject({ method: 'PUT', url: `/api/v1/workshops/${id}`, headers: auth, payload: workshop });
    expect(put.statusCode).toBe(200);
    const sessionId = randomUUID();
    const session = await s.app.inject({
      method: 'PUT',
      url: `/api/v1/agenda-sessions/${sessionId}`,
      headers: auth,
      payload: { id: sessionId, workshopId: id, date: '2027-02-01', start: '09:00', end: '10:30', title: 'Opening' },
    });
    expect(session.statusCode).toBe(200);

    const bytes = Buffer.from('%PDF-1.4 risk '.repeat(100));
    const sha = createHash('sha256').update(bytes).digest('hex');
    const tmp = path.join(s.config.filesDir, '..', 'm.pdf');
    fs.mkdirSync(path.dirname(tmp), { recursive: true });
    fs.writeFileSync(tmp, bytes);
    await new FileStore(s.config.filesDir).importFile(tmp);
    await registerFile(s.database.db, sha, bytes.length, 'application/pdf', new Date().toISOString());
    const materialId = randomUUID();
    const material = {
      id: materialId,
      workshopId: id,
      title: 'Risk management compendium, summary',
      language: 'en',
      mediaType: 'application/pdf',
      sha256: sha,
      audience: 'public',
    };
    const m1 = await s.app.inject({
      method: 'PUT',
      url: `/api/v1/materials/${materialId}`,
      headers: auth,
      payload: material,
    });
    expect(m1.json()).toMatchObject({ materialVersion: 1 });
    const same = await s.app.inject({
      method: 'PUT',
      url: `/api/v1/materials/${materialId}`,
      headers: auth,
      payload: { ...material, title: 'Renamed' },
    });
    expect(same.json()).toMatchObject({ materialVersion: 1 });
    const missing = await s.app.inject({
      method: 'PUT',
      url: `/api/v1/materials/${materialId}`,
      headers: auth,
      payload: { ...material, sha256: 'a'.repeat(64) },
    });
    expect(missing.statusCode).toBe(400);

    const delta = await sync(s, null, { cursors, epoch });
    expect(delta.body.changes.map((c) => c.id).sort()).toEqual([id, sessionId, materialId].sort());
    cursors = { ...cursors, ...delta.body.cursors };

    const del = await s.app.inject({ method: 'DELETE', url: `/api/v1/agenda-sessions/${sessionId}`, headers: auth });
    expect(del.statusCode).toBe(200);
    const tomb = await sync(s, null, { cursors, epoch });
    expect(tomb.body.changes).toEqual([expect.objectContaining({ id: sessionId, deleted: true, data: null })]);
  });

  it('rejects invalid publishing input with the field named and writes nothing', async () => {
    const id = randomUUID();
    const res = await s.app.inject({
      method: 'PUT',
      url: `/api/v1/workshops/${id}`,
      headers: auth,
      payload: {
        id,
        title: 'X',
        kind: 'regional',
        topic: 'T',
        startDate: '2027-03-05',
        endDate: '2027-03-01',
        timeZone: 'Mars/Olympus',
        mode: 'online',
        venue: null,
        organisers: ['WCO'],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: expect.stringMatching(/timeZone|endDate/) });
    const device = await s.app.inject({ method: 'PUT', url: `/api/v1/workshops/${id}`, payload: {} });
    expect(device.statusCode).toBe(400);
  });

  it('refuses links to things that do not exist: tools, sessions of other workshops, join links in person', async () => {
    const put = (url: string, payload: Record<string, unknown>) =>
      s.app.inject({ method: 'PUT', url, headers: auth, payload });
    const base = {
      kind: 'regional',
      topic: 'Links',
      startDate: '2027-03-01',
      endDate: '2027-03-02',
      timeZone: 'Pacific/Fiji',
      organisers: ['WCO'],
    };
    const inPerson = randomUUID();
    const online = randomUUID();
    const venue = { city: 'Suva', country: 'Fiji' };
    expect(
      (await put(`/api/v1/workshops/${inPerson}`, { ...base, id: inPerson, title: 'A', mode: 'in-person', venue }))
        .statusCode,
    ).toBe(200);
    expect(
      (await put(`/api/v1/workshops/${online}`, { ...base, id: online, title: 'B', mode: 'online', venue: null }))
        .statusCode,
    ).toBe(200);
    const tool = await put(`/api/v1/workshops/${online}`, {
      ...base,
      id: online,
      title: 'B',
      mode: 'online',
      venue: null,
      toolSlugs: ['no-such-tool'],
    });
    expect(tool.statusCode).toBe(400);
    expect(tool.json()).toMatchObject({ error: 'unknown_tool', message: expect.stringContaining('no-such-tool') });

    const session = (workshopId: string, extra: Record<string, unknown> = {}) => {
      const id = randomUUID();
      return { id, workshopId, date: '2027-03-01', start: '09:00', end: '10:00', title: 'Opening', ...extra };
    };
    const join = session(inPerson, { joinUrl: 'https://example.org/join/x' });
    const refused = await put(`/api/v1/agenda-sessions/${join.id}`, join);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'join_link_in_person' });
    const theirs = session(online, { joinUrl: 'https://example.org/join/y' });
    expect((await put(`/api/v1/agenda-sessions/${theirs.id}`, theirs)).statusCode).toBe(200);

    const material = randomUUID();
    const wrong = await put(`/api/v1/materials/${material}`, {
      id: material,
      workshopId: inPerson,
      title: 'Slides',
      language: 'en',
      mediaType: 'application/pdf',
      sha256: 'a'.repeat(64),
      sessionIds: [theirs.id],
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: 'unknown_session' });
    const sessionRows = await s.database.db
      .selectFrom('records')
      .select('id')
      .where('id', 'in', [join.id, material])
      .execute();
    expect(sessionRows).toEqual([]);
  });
});
