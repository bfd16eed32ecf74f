/**
 * The raw responses routes on both databases. Export: the demo FY2020/21
 * responses come back as rows of the CSV format, roster included. Import:
 * the exported file, sent to a server holding only the demo workshops,
 * reproduces the same report; sending it again adds nothing; a file with a
 * bad row is refused whole, naming the row, and writes nothing; a response
 * already stored with other answers is never overwritten; concurrent
 * imports of one file store it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, startTestServer, type TestServer } from './harness';
import { addParticipant, coordinatorToken, countRows, enrol, issueCode } from './fixtures';
import { DEMO_PACK_DIR, seedDemo } from '../../src/server/content/seed';
import { loadContentPack } from '../../src/server/content/pack';
import { importPack } from '../../src/server/content/import';
import { RESPONSES_CSV_COLUMNS } from '../../src/shared/domain/responses-csv/columns';
import { ResponsesCsvRow } from '../../src/shared/domain/responses-csv/row';
import { formatResponsesCsv } from '../../src/shared/domain/responses-csv/format';

interface ExportBody {
  columns: string[];
  rows: Record<string, string | number | boolean | null>[];
}

interface ReportBody {
  tables: {
    table1: { rows: { participants: number; replies: number }[]; total: { participants: number; replies: number } };
  };
  examples: unknown;
}

const PCA_PACIFIC = 'WCO Sub-regional Workshop on PCA (Pacific)';
const HAND_MADE_HEADER =
  'fiscal_year,workshop_title,participant_name,participant_email,administration,status,submitted_at,' +
  'action_share_materials,action_submit_report,action_make_recommendations,action_in_house_workshop,' +
  'action_operational_manuals,action_other,direct_effects,work_efficiency,new_projects,new_projects_details';
const HAND_MADE_ROW = `2020/21,${PCA_PACIFIC},Losaline Fifita,losaline@example.org,TO,submitted,2021-05-20,yes,yes,no,no,no,no,yes,yes,yes,Risk profiling project`;

describe.each(DB_KINDS)('raw responses export and import on %s', (kind) => {
  let source: TestServer;
  let target: TestServer;
  let sourceAuth: { authorization: string };
  let targetAuth: { authorization: string };
  let deviceAuth: { authorization: string };
  let exported: ExportBody;

  beforeAll(async () => {
    source = await startTestServer(kind);
    await seedDemo(source.database.db, source.config, { demoAccounts: false });
    const token = await coordinatorToken(source);
    sourceAuth = { authorization: `Bearer ${token}` };
    const workshops = await source.database.db
      .selectFrom('records')
      .select(['id', 'data'])
      .where('collection', '=', 'workshops')
      .execute();
    const later = workshops.find((w) => (JSON.parse(w.data) as { startDate: string }).startDate >= '2021-07-01')!;
    const participantId = await addParticipant(source, token, [later.id]);
    deviceAuth = {
      authorization: `Bearer ${(await enrol(source, await issueCode(source, token, participantId))).token}`,
    };

    // The target has the same workshops and nothing else: no people, no responses.
    target = await startTestServer(kind);
    const pack = await loadContentPack(DEMO_PACK_DIR);
    await importPack(
      target.database.db,
      {
        ...pack,
        agendaSessions: [],
        materials: [],
        toolSummaries: [],
        participants: [],
        roster: [],
        followUpActions: [],
        surveyResponses: [],
        evaluations: [],
      },
      target.app.vaka.files,
    );
    targetAuth = { authorization: `Bearer ${await coordinatorToken(target)}` };
  }, 120_000);
  afterAll(async () => {
    await source.close();
    await target.close();
  });

  const report = async (s: TestServer, auth: Record<string, string>) => {
    const res = await s.app.inject({ method: 'GET', url: '/api/v1/reports/follow-up?fiscalYear=2020', headers: auth });
    expect(res.statusCode).toBe(200);
    return res.json() as ReportBody;
  };
  const importCsv = (s: TestServer, auth: Record<string, string>, csv: string, contentType = 'text/csv') =>
    s.app.inject({
      method: 'POST',
      url: '/api/v1/reports/responses/import',
      headers: { ...auth, 'content-type': contentType },
      payload: csv,
    });

  it('exports the FY2020/21 responses as rows of the CSV format, one per roster line', async () => {
    const res = await source.app.inject({
      method: 'GET',
      url: '/api/v1/reports/responses?fiscalYear=2020',
      headers: sourceAuth,
    });
    expect(res.statusCode).toBe(200);
    exported = res.json() as ExportBody;
    expect(exported.columns).toEqual([...RESPONSES_CSV_COLUMNS]);
    expect(exported.rows).toHaveLength(153);
    expect(exported.rows.filter((r) => r.status === 'submitted')).toHaveLength(58);
    for (const row of exported.rows) expect(ResponsesCsvRow.parse(row)).toEqual(row);
    expect(exported.rows[0]).toMatchObject({ fiscal_year: '2020/21', workshop_title: PCA_PACIFIC });
    const empty = await source.app.inject({
      method: 'GET',
      url: '/api/v1/reports/responses?fiscalYear=1999',
      headers: sourceAuth,
    });
    expect(empty.json()).toEqual({ columns: [...RESPONSES_CSV_COLUMNS], rows: [] });
  });

  it('keeps the raw responses from devices and strangers, and asks for a four-digit year', async () => {
    const url = '/api/v1/reports/responses?fiscalYear=2020';
    expect((await source.app.inject({ method: 'GET', url, headers: deviceAuth })).statusCode).toBe(403);
    expect((await source.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const bad = await source.app.inject({
      method: 'GET',
      url: '/api/v1/reports/responses?fiscalYear=2020/21',
      headers: sourceAuth,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ message: expect.stringMatching(/2020 for July 2020/) });
    const csv = formatResponsesCsv(exported.rows.map((r) => ResponsesCsvRow.parse(r)));
    expect((await importCsv(source, deviceAuth, csv)).statusCode).toBe(403);
    expect((await importCsv(source, {}, csv)).statusCode).toBe(401);
  });

  it('imports the export into a server with only the workshops and reproduces the report', async () => {
    const before = await report(target, targetAuth);
    expect(before.tables.table1.total).toMatchObject({ participants: 0, replies: 0 });

    const csv = formatResponsesCsv(exported.rows.map((r) => ResponsesCsvRow.parse(r)));
    const res = await importCsv(target, targetAuth, csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 153, skipped: 0 });

    const [was, now] = [await report(source, sourceAuth), await report(target, targetAuth)];
    expect(now.tables).toEqual(was.tables);
    expect(now.examples).toEqual(was.examples);
    expect(now.tables.table1.total).toMatchObject({ participants: 153, replies: 58 });
    const again = await target.app.inject({
      method: 'GET',
      url: '/api/v1/reports/responses?fiscalYear=2020',
      headers: targetAuth,
    });
    expect(again.json()).toEqual(exported);
  });

  it('adds nothing when the same file is imported again', async () => {
    const csv = formatResponsesCsv(exported.rows.map((r) => ResponsesCsvRow.parse(r)));
    const before = await countRows(target);
    const res = await importCsv(target, targetAuth, csv);
    expect(res.json()).toEqual({ imported: 0, skipped: 153 });
    expect(await countRows(target)).toEqual(before);
  });

  it('refuses a file with a bad row whole, naming every bad row, and writes nothing', async () => {
    const before = await countRows(source);
    const csv = [
      HAND_MADE_HEADER,
      HAND_MADE_ROW,
      HAND_MADE_ROW.replace(PCA_PACIFIC, 'WCO Workshop that never was').replace(
        'Losaline Fifita,losaline',
        'Sela Fifita,sela',
      ),
      HAND_MADE_ROW.replace('Losaline Fifita,losaline', 'Mere Fifita,mere').replace(
        ',yes,yes,yes,Risk',
        ',perhaps,yes,yes,Risk',
      ),
      HAND_MADE_ROW.replace('2020/21', '2021/22').replace('Losaline Fifita,losaline', 'Tevita Fifita,tevita'),
    ].join('\n');
    const res = await importCsv(source, sourceAuth, csv);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      error: 'invalid_rows',
      message: 'Nothing was imported: 1 row needs fixing.',
      rows: [{ row: 4, message: 'direct_effects: Write yes, no or not yet.' }],
    });
    // Once every row reads, the rows are checked against the database, still before anything is written.
    const res2 = await importCsv(source, sourceAuth, csv.replace(',perhaps,', ',not yet,'));
    expect(res2.statusCode).toBe(422);
    expect(res2.json()).toMatchObject({
      message: 'Nothing was imported: 2 rows need fixing.',
      rows: [
        { row: 3, message: expect.stringMatching(/No workshop titled "WCO Workshop that never was".*2020\/21/) },
        { row: 5, message: expect.stringMatching(/starts in fiscal year 2021\/22/) },
      ],
    });
    expect(await countRows(source)).toEqual(before);
  });

  it('refuses rows that contradict each other within the file', async () => {
    const before = await countRows(source);
    const csv = [
      HAND_MADE_HEADER,
      HAND_MADE_ROW,
      // The same e-mail address is the same person: a different name contradicts row 2.
      HAND_MADE_ROW.replace('Losaline Fifita', 'Losa Fifita').replace(PCA_PACIFIC, 'WCO Regional Workshop on Canines'),
      // The same person and workshop twice.
      HAND_MADE_ROW,
    ].join('\n');
    const res = await importCsv(source, sourceAuth, csv);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      rows: [
        { row: 3, message: expect.stringMatching(/^Row 2 describes participant \S+ differently/) },
        { row: 4, message: expect.stringMatching(/Row 2 is already about this participant and workshop/) },
      ],
    });
    expect(await countRows(source)).toEqual(before);
  });

  it('imports hand-made rows by workshop title, and changes the report', async () => {
    const before = await report(source, sourceAuth);
    const csv = `${HAND_MADE_HEADER}\n${HAND_MADE_ROW}\n`;
    const res = await importCsv(source, sourceAuth, csv, 'text/plain; charset=utf-8');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 1, skipped: 0 });
    const after = await report(source, sourceAuth);
    expect(after.tables.table1.rows[0]).toMatchObject({ participants: 7, replies: 6 });
    expect(after.tables.table1.total).toMatchObject({
      participants: before.tables.table1.total.participants + 1,
      replies: before.tables.table1.total.replies + 1,
    });
    // Without ids, the derived ids recognise the rows the second time.
    const rows = await countRows(source);
    expect((await importCsv(source, sourceAuth, csv)).json()).toEqual({ imported: 0, skipped: 1 });
    expect(await countRows(source)).toEqual(rows);
  });

  it('never changes a stored response: other answers under the same id refuse the row', async () => {
    const row = ResponsesCsvRow.parse(
      exported.rows.find((r) => r.status === 'submitted' && r.direct_effects === 'yes'),
    );
    const changed = formatResponsesCsv([{ ...row, direct_effects: 'no', operational_improvement: 'Edited later' }]);
    const res = await importCsv(source, sourceAuth, changed);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      rows: [
        {
          row: 2,
          message: expect.stringMatching(
            /already stored with different operational_improvement\/strategic_empowerment, direct_effects/,
          ),
        },
      ],
    });
  });

  it('stores a file once when two imports of it run at the same time', async () => {
    const csv = `${HAND_MADE_HEADER}\n${HAND_MADE_ROW.replace(/Losaline Fifita,losaline/, 'Pita Vake,pita')}\n`;
    const before = await countRows(source);
    const results = await Promise.all([importCsv(source, sourceAuth, csv), importCsv(source, sourceAuth, csv)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(results.map((r) => (r.json() as { imported: number }).imported).sort()).toEqual([0, 1]);
    const after = await countRows(source);
    expect(after.records! - before.records!).toBe(2);
    expect(after.roster! - before.roster!).toBe(1);
  });

  it('asks for the CSV itself as the body, within the size limit', async () => {
    const json = await source.app.inject({
      method: 'POST',
      url: '/api/v1/reports/responses/import',
      headers: sourceAuth,
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ message: expect.stringMatching(/Content-Type text\/csv/) });
    const empty = await importCsv(source, sourceAuth, '');
    expect(empty.statusCode).toBe(422);
    expect(empty.json()).toMatchObject({ rows: [{ row: 1, message: 'The file is empty.' }] });
    const huge = await importCsv(source, sourceAuth, `${HAND_MADE_HEADER}\n${'x'.repeat(5 * 1024 * 1024)}`);
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ message: expect.stringMatching(/too large/) });
  });

  it('describes both routes in the OpenAPI document, the import as a text/csv body', async () => {
    const doc = (await source.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    expect(doc.paths['/api/v1/reports/responses']!.get).toBeDefined();
    expect(Object.keys(doc.paths['/api/v1/reports/responses/import']!.post!.requestBody!.content)).toEqual([
      'text/csv',
    ]);
  });
});
