/**
 * The operator CLI run as operators run it: a child process per command on
 * a temporary SQLite database. create-participant prints a code a device
 * can enrol with; export-responses → import-responses into a database with
 * only the workshops reproduces the report, a second import adds nothing
 * and a bad row is refused with its number; report --json is the API's
 * JSON; every command answers --help, and a wrong command line exits 2.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { openDatabase } from '../../src/server/db/connection';
import { DEMO_PACK_DIR } from '../../src/server/content/seed';
import { followUpReport } from '../../src/server/routes/reports-data';
import { RESPONSES_CSV_COLUMNS } from '../../src/shared/domain/responses-csv';

const ADMIN = path.resolve('src/server/cli/admin.ts');
const COMMANDS = [
  'create-coordinator',
  'create-participant',
  'list-devices',
  'revoke-device',
  'check-pack',
  'import-pack',
  'report',
  'export-responses',
  'import-responses',
];
const PCA_PACIFIC = '8e8796e4-755c-5361-8792-3a3ea9bd8281';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface ReportJson {
  fiscalYear: string;
  tables: { table1: { total: { participants: number; replies: number } } };
  examples: unknown;
}

describe('operator CLI on SQLite', () => {
  let dir: string;
  /** Environment of each database: the demo content, and only the demo workshops. */
  let demoEnv: Record<string, string>;
  let emptyEnv: Record<string, string>;

  function admin(env: Record<string, string>, ...args: string[]): Promise<Run> {
    const { DATABASE_URL: _pg, ...inherited } = process.env;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', ADMIN, ...args],
        { env: { ...inherited, ...env }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-cli-'));
    demoEnv = { DATABASE_PATH: path.join(dir, 'demo', 'vaka.db'), FILES_DIR: path.join(dir, 'demo', 'files') };
    emptyEnv = { DATABASE_PATH: path.join(dir, 'empty', 'vaka.db'), FILES_DIR: path.join(dir, 'empty', 'files') };
    // A pack with the FY2020/21 workshops of the demo and nothing else.
    const survey = JSON.parse(fs.readFileSync(path.join(DEMO_PACK_DIR, 'survey-2020-21.json'), 'utf8')) as {
      workshops: Record<string, unknown>[];
    };
    fs.mkdirSync(path.join(dir, 'workshops-pack'));
    fs.writeFileSync(
      path.join(dir, 'workshops-pack', 'workshops.json'),
      // Without the tool summaries their links to them would not resolve.
      JSON.stringify({ formatVersion: 1, workshops: survey.workshops.map((w) => ({ ...w, toolSlugs: [] })) }),
    );
    const [demo, empty] = await Promise.all([
      admin(demoEnv, 'import-pack', DEMO_PACK_DIR),
      admin(emptyEnv, 'import-pack', path.join(dir, 'workshops-pack')),
    ]);
    expect(demo).toMatchObject({ code: 0, stdout: expect.stringMatching(/58 survey responses/) });
    expect(empty).toMatchObject({ code: 0, stdout: expect.stringMatching(/9 workshops/) });
  }, 120_000);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the report as the API computes it, and Table 1 as text', async () => {
    const json = await admin(demoEnv, 'report', '--fiscal-year', '2020', '--json');
    expect(json.code).toBe(0);
    const printed = JSON.parse(json.stdout) as ReportJson;
    expect(printed.tables.table1.total).toMatchObject({ participants: 153, replies: 58 });
    const database = await openDatabase({ kind: 'sqlite', path: demoEnv.DATABASE_PATH! });
    try {
      expect(printed).toEqual(JSON.parse(JSON.stringify(await followUpReport(database.db, '2020/21'))));
    } finally {
      await database.close();
    }
    const text = await admin(demoEnv, 'report', '--fiscal-year', '2020');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/fiscal year 2020\/21/);
    expect(text.stdout).toMatch(/^\s+1\s+WCO Sub-regional Workshop on PCA \(Pacific\)\s+6\s+5\s+83%$/m);
    expect(text.stdout).toMatch(/^\s+Total\s+153\s+58\s+38%$/m);
  }, 120_000);

  it('exports the responses, imports them into a database with only the workshops, and the report is the same', async () => {
    const out = path.join(dir, 'responses.csv');
    const [toFile, toStdout] = await Promise.all([
      admin(demoEnv, 'export-responses', '--fiscal-year', '2020', '--out', out),
      admin(demoEnv, 'export-responses', '--fiscal-year', '2020'),
    ]);
    expect(toFile).toMatchObject({ code: 0, stdout: expect.stringMatching(/Wrote 153 rows of fiscal year 2020\/21/) });
    const csv = fs.readFileSync(out, 'utf8');
    expect(toStdout.stdout).toBe(csv);
    expect(csv.split('\r\n')[0]).toBe(RESPONSES_CSV_COLUMNS.join(','));

    const imported = await admin(emptyEnv, 'import-responses', out);
    expect(imported).toMatchObject({ code: 0, stdout: 'Imported 153 rows; 0 were already there.\n' });
    const [was, now] = await Promise.all([
      admin(demoEnv, 'report', '--fiscal-year', '2020', '--json'),
      admin(emptyEnv, 'report', '--fiscal-year', '2020', '--json'),
    ]);
    const [before, after] = [JSON.parse(was.stdout) as ReportJson, JSON.parse(now.stdout) as ReportJson];
    expect(after.tables).toEqual(before.tables);
    expect(after.examples).toEqual(before.examples);
    expect((await admin(emptyEnv, 'export-responses', '--fiscal-year', '2020')).stdout).toBe(csv);

    const again = await admin(emptyEnv, 'import-responses', out);
    expect(again).toMatchObject({ code: 0, stdout: 'Imported 0 rows; 153 were already there.\n' });
  }, 180_000);

  it('refuses a file with a bad row, printing its number, and imports nothing', async () => {
    const lines = fs.readFileSync(path.join(dir, 'responses.csv'), 'utf8').split('\r\n');
    const fresh = (line: string, n: number) =>
      line
        .replace(/^([^,]*,[^,]*,[^,]*,)[^,]*,/, '$1,') // no participant_id
        .replace(/,sample\.participant\.\d+@example\.org,/, `,new.${n}@example.org,`)
        .replace(/(,[A-Z]{2},)[^,]*,(submitted|not-answered),/, '$1,$2,'); // no response_id
    const bad = [lines[0]!, fresh(lines[1]!, 1), fresh(lines[2]!, 2).replace(/,submitted,1,[^,]*,/, ',submitted,1,,')];
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, bad.join('\r\n'));
    const res = await admin(emptyEnv, 'import-responses', file);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'Row 3: submitted_at: A submitted response needs its submission date.\nNothing was imported: 1 row needs fixing.\n',
    );
    // Fixed, the same file imports: the bad row was all that stopped it, and nothing of it was kept before.
    fs.writeFileSync(file, [bad[0], bad[1], fresh(lines[2]!, 2)].join('\r\n'));
    expect(await admin(emptyEnv, 'import-responses', file)).toMatchObject({
      code: 0,
      stdout: 'Imported 2 rows; 0 were already there.\n',
    });
    expect((await admin(emptyEnv, 'import-responses', path.join(dir, 'missing.csv'))).code).toBe(1);
  }, 120_000);

  it('creates a participant and prints an enrolment code and link that a device can use', async () => {
    const res = await admin(
      demoEnv,
      'create-participant',
      '--workshop',
      PCA_PACIFIC,
      '--name',
      'Mele Tupou',
      '--email',
      'mele@example.org',
      '--administration',
      'to',
      '--base-url',
      'https://vaka.example.org/',
    );
    expect(res.code).toBe(0);
    const id = /^Participant id: ([0-9a-f-]{36})$/m.exec(res.stdout)?.[1];
    const code = /^Enrolment code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) /m.exec(res.stdout)?.[1];
    expect(id).toBeDefined();
    expect(code).toBeDefined();
    expect(res.stdout).toContain(`Enrolment link: https://vaka.example.org/enrol#code=${code!.replace(/-/g, '')}\n`);

    const database = await openDatabase({ kind: 'sqlite', path: demoEnv.DATABASE_PATH! });
    const app = await buildApp({
      database,
      config: {
        ...loadConfig({ STATIC_DIR: path.join(dir, 'no-static'), LOG_LEVEL: 'silent' }),
        database: { kind: 'sqlite', path: demoEnv.DATABASE_PATH! },
        filesDir: demoEnv.FILES_DIR!,
      },
    });
    try {
      const enrol = await app.inject({
        method: 'POST',
        url: '/api/v1/enroll',
        payload: { code, deviceName: 'CLI test phone' },
      });
      expect(enrol.statusCode).toBe(200);
      expect(enrol.json()).toMatchObject({ participantId: id });
      const roster = await database.db.selectFrom('roster').selectAll().where('participant_id', '=', id!).execute();
      expect(roster).toEqual([{ workshop_id: PCA_PACIFIC, participant_id: id }]);
    } finally {
      await app.close();
      await database.close();
    }

    const unknown = await admin(
      demoEnv,
      'create-participant',
      '--workshop',
      PCA_PACIFIC.replace('8e', '9e'),
      '--name',
      'X',
    );
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringMatching(/No workshop with id/) });
    const noCode = await admin(demoEnv, 'create-participant', '--workshop', PCA_PACIFIC, '--name', 'X');
    expect(noCode).toMatchObject({ code: 2, stderr: expect.stringMatching(/Give --administration/) });
  }, 120_000);

  it('explains every command with --help and exits 0', async () => {
    const runs = await Promise.all(COMMANDS.map((c) => admin(demoEnv, c, '--help')));
    runs.forEach((run, i) => {
      expect(run.code, COMMANDS[i]).toBe(0);
      expect(run.stdout, COMMANDS[i]).toMatch(new RegExp(`^Usage: npm run admin -- ${COMMANDS[i]} `));
    });
    const all = await admin(demoEnv, '--help');
    expect(all.code).toBe(0);
    for (const c of COMMANDS) expect(all.stdout).toContain(`  ${c} `);
  }, 120_000);

  it('refuses a wrong command line with exit code 2 and says what is wrong', async () => {
    const [flag, value, positional, command, none] = await Promise.all([
      admin(demoEnv, 'report', '--fiscal-year', '2020', '--csv'),
      admin(demoEnv, 'export-responses', '--fiscal-year', '2020/21'),
      admin(demoEnv, 'import-responses'),
      admin(demoEnv, 'reprot'),
      admin(demoEnv),
    ]);
    expect(flag).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^Unknown option --csv for report\. Its options are --fiscal-year, --json\./),
    });
    expect(value).toMatchObject({ code: 2, stderr: expect.stringMatching(/2020 for July 2020 to June 2021/) });
    expect(positional).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Give FILE\./) });
    expect(command).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Unknown command "reprot"/) });
    expect(none.code).toBe(2);
  }, 120_000);
});
