/**
 * GET /api/v1/reports/follow-up on both databases, over the demo content:
 * a coordinator gets the FY2020/21 tables (the same JSON as the older
 * /reports/survey?fiscalYear=2020/21, which still answers), a participant's
 * device gets 403 and a stranger 401, and a malformed fiscal year a 400 that
 * says how to write it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addParticipant, coordinatorToken, enrol, issueCode } from './fixtures';
import { seedDemo } from '../../src/server/content/seed';

interface ReportBody {
  fiscalYear: string;
  workshops: { title: string }[];
  tables: {
    table1: {
      rows: { replies: number; participants: number }[];
      total: { participants: number; replies: number; replyRate: { percent: number } };
    };
  };
  examples: Record<string, unknown[]>;
  indicators: { tangibleResults: number };
}

describe.each(DB_KINDS)('follow-up report route on %s', (kind) => {
  let s: TestServer;
  let coordinator: { authorization: string };
  let device: { authorization: string };

  beforeAll(async () => {
    s = await startTestServer(kind);
    await seedDemo(s.database.db, s.config, { demoAccounts: false });
    const token = await coordinatorToken(s);
    coordinator = { authorization: `Bearer ${token}` };
    // A participant of a later workshop, so the FY2020/21 roster stays as the seed has it.
    const workshops = await s.database.db
      .selectFrom('records')
      .select(['id', 'data'])
      .where('collection', '=', 'workshops')
      .execute();
    const later = workshops.find((w) => (JSON.parse(w.data) as { startDate: string }).startDate >= '2021-07-01')!;
    const participantId = await addParticipant(s, token, [later.id]);
    device = { authorization: `Bearer ${(await enrol(s, await issueCode(s, token, participantId))).token}` };
  }, 120_000);
  afterAll(async () => {
    await s.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => s.app.inject({ method: 'GET', url, headers });

  it('answers the FY2020/21 tables to a coordinator, the same as the /reports/survey alias', async () => {
    const res = await get('/api/v1/reports/follow-up?fiscalYear=2020', coordinator);
    expect(res.statusCode).toBe(200);
    const body = res.json() as ReportBody;
    expect(body.fiscalYear).toBe('2020/21');
    expect(body.workshops).toHaveLength(9);
    expect(body.tables.table1.rows.map((r) => r.replies)).toEqual([5, 7, 6, 10, 6, 9, 8, 5, 2]);
    expect(body.tables.table1.total).toMatchObject({ participants: 153, replies: 58, replyRate: { percent: 38 } });
    expect(body.indicators.tangibleResults).toBe(36);
    expect(Object.keys(body.examples)).toContain('newProjects');

    const alias = await get('/api/v1/reports/survey?fiscalYear=2020/21', coordinator);
    expect(alias.statusCode).toBe(200);
    expect(alias.json()).toEqual(body);
  });

  it('lists the fiscal years newest first with their replies: the latest with replies is 2020/21', async () => {
    const res = await get('/api/v1/reports/fiscal-years', coordinator);
    expect(res.statusCode).toBe(200);
    const { fiscalYears } = res.json() as {
      fiscalYears: { fiscalYear: string; start: number; workshops: number; replies: number }[];
    };
    expect(fiscalYears.map((y) => y.start)).toEqual([...fiscalYears.map((y) => y.start)].sort().reverse());
    // The sample workshops dated from today make the newest years; they have no replies yet.
    expect(fiscalYears[0]!.replies).toBe(0);
    expect(fiscalYears.find((y) => y.replies > 0)).toEqual({
      fiscalYear: '2020/21',
      start: 2020,
      workshops: 9,
      replies: 58,
    });
    expect(fiscalYears.find((y) => y.fiscalYear === '2021/22')).toMatchObject({ replies: 0 });
    expect((await get('/api/v1/reports/fiscal-years', device)).statusCode).toBe(403);
  });

  it('answers an empty report for a year without workshops', async () => {
    const body = (await get('/api/v1/reports/follow-up?fiscalYear=1999', coordinator)).json() as ReportBody;
    expect(body).toMatchObject({ fiscalYear: '1999/00', workshops: [] });
    expect(body.tables.table1.total).toMatchObject({ participants: 0, replies: 0, replyRate: { percent: null } });
  });

  it("refuses a participant's device with 403 and a stranger with 401, each with a message", async () => {
    const forbidden = await get('/api/v1/reports/follow-up?fiscalYear=2020', device);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({ error: 'forbidden', message: expect.stringMatching(/coordinator/) });
    const anonymous = await get('/api/v1/reports/follow-up?fiscalYear=2020');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ message: expect.stringMatching(/coordinator/) });
    const forged = await get('/api/v1/reports/follow-up?fiscalYear=2020', { authorization: 'Bearer vd_forged' });
    expect(forged.statusCode).toBe(401);
    expect((await get('/api/v1/reports/survey?fiscalYear=2020/21', device)).statusCode).toBe(403);
  });

  it('refuses a fiscal year that is not a four-digit year with a 400 that shows how to write it', async () => {
    for (const q of [
      'fiscalYear=2020/21',
      'fiscalYear=20',
      'fiscalYear=abcd',
      'fiscalYear=2020.5',
      'fiscalYear=',
      '',
    ]) {
      const res = await get(`/api/v1/reports/follow-up?${q}`, coordinator);
      expect(res.statusCode, q).toBe(400);
      expect(res.json(), q).toMatchObject({
        error: 'invalid_request',
        message: expect.stringMatching(/2020 for July 2020/),
      });
    }
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await get('/api/openapi.json')).json() as {
      paths: Record<string, Record<string, { parameters?: { name: string }[]; description?: string }>>;
    };
    const op = doc.paths['/api/v1/reports/follow-up']!.get!;
    expect(op.parameters!.map((p) => p.name)).toEqual(['fiscalYear']);
    expect(op.description).toMatch(/403/);
    expect(Object.keys(doc.paths)).toContain('/api/v1/reports/survey');
  });
});
