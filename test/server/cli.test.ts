/**
 * The operator CLI run as operators run it: a child process per command on
 * a temporary SQLite database. create-participant prints a code a device
 * can enrol with; export-responses → import-responses into a database with
 * only the workshops reproduces the report, a second import adds nothing
 * and a bad row is refused with its number; report --json is the API's
 * JSON; revoking a device twice keeps the first revocation time; every
 * command answers --help, and a wrong command line exits 2. Every command
 * that prints data prints the same bytes into a slow pipe as into a file,
 * beyond the 64 KiB a pipe holds. Child processes start one at a time where
 * a test needs several: on a loaded machine each Node start takes seconds.
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
import { followUpReport } from '../../src/server/reports/follow-up';
import { RESPONSES_CSV_COLUMNS } from '../../src/shared/domain/responses-csv/columns';
import { COMMANDS as CLI_COMMANDS, runAdmin } from '../../src/server/cli/run';

const ADMIN = path.resolve('src/server/cli/admin.ts');
const COMMANDS = [
  'create-coordinator',
  'reset-password',
  'reset-mfa',
  'create-participant',
  'list-devices',
  'revoke-device',
  'list-workshops',
  'check-pack',
  'import-pack',
  'report',
  'export-responses',
  'import-responses',
  'messages',
  'backup',
  'restore',
];
/** Only for a hang: each child process is a Node start, which takes many seconds on a loaded machine. */
const CEILING = 600_000;
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
  }, CEILING);
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'prints the report as the API computes it, and Table 1 as text',
    async () => {
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
    },
    CEILING,
  );

  it(
    'exports the responses, imports them into a database with only the workshops, and the report is the same',
    async () => {
      const out = path.join(dir, 'responses.csv');
      const [toFile, toStdout] = await Promise.all([
        admin(demoEnv, 'export-responses', '--fiscal-year', '2020', '--out', out),
        admin(demoEnv, 'export-responses', '--fiscal-year', '2020'),
      ]);
      expect(toFile).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/Wrote 153 rows of fiscal year 2020\/21/),
      });
      const csv = fs.readFileSync(out, 'utf8');
      expect(toStdout.stdout).toBe(csv);
      // A byte-order mark first, as the browser's download (CSV_BOM): one choice for every CSV Vaka writes.
      expect(csv.split('\r\n')[0]).toBe(`\uFEFF${RESPONSES_CSV_COLUMNS.join(',')}`);

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
    },
    CEILING,
  );

  it(
    'refuses a file with a bad row, printing its number, and imports nothing',
    async () => {
      const lines = fs.readFileSync(path.join(dir, 'responses.csv'), 'utf8').split('\r\n');
      const fresh = (line: string, n: number) =>
        line
          .replace(/^([^,]*,[^,]*,[^,]*,)[^,]*,/, '$1,') // no participant_id
          .replace(/,sample\.participant\.\d+@example\.org,/, `,new.${n}@example.org,`)
          .replace(/(,[A-Z]{2},)[^,]*,(submitted|not-answered),/, '$1,$2,'); // no response_id
      const bad = [
        lines[0]!,
        fresh(lines[1]!, 1),
        fresh(lines[2]!, 2).replace(/,submitted,1,[^,]*,/, ',submitted,1,,'),
      ];
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
    },
    CEILING,
  );

  it(
    'creates a participant and prints an enrolment code and link that a device can use',
    async () => {
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
    },
    CEILING,
  );

  it(
    'revokes a device once: revoking it again keeps the first revocation time',
    async () => {
      const database = await openDatabase({ kind: 'sqlite', path: demoEnv.DATABASE_PATH! });
      const deviceOf = () =>
        database.db.selectFrom('devices').selectAll().where('name', '=', 'CLI test phone').executeTakeFirstOrThrow();
      try {
        const device = await deviceOf();
        expect(device.revoked_at).toBeNull();
        const first = await admin(demoEnv, 'revoke-device', device.id);
        expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Device revoked \(since /) });
        const revokedAt = (await deviceOf()).revoked_at;
        expect(revokedAt).not.toBeNull();
        const second = await admin(demoEnv, 'revoke-device', device.id);
        expect(second).toMatchObject({ code: 0, stdout: `Device revoked (since ${revokedAt}).\n` });
        expect((await deviceOf()).revoked_at).toBe(revokedAt);
        const listed = await admin(demoEnv, 'list-devices');
        expect(listed.stdout).toMatch(
          new RegExp(`^${device.id}  participant ${device.participant_id}  "CLI test phone"  .*  REVOKED$`, 'm'),
        );
        expect(await admin(demoEnv, 'revoke-device', device.id.replace(/^./, 'f'))).toMatchObject({
          code: 1,
          stderr: 'No such device.\n',
        });
      } finally {
        await database.close();
      }
    },
    CEILING,
  );

  it(
    'explains every command with --help and exits 0',
    async () => {
      expect(CLI_COMMANDS.map((c) => c.name)).toEqual(COMMANDS);
      for (const c of COMMANDS) {
        const out: string[] = [];
        const code = await runAdmin(
          [c, '--help'],
          { stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true } },
          demoEnv,
        );
        expect(code, c).toBe(0);
        expect(out.join(''), c).toMatch(new RegExp(`^Usage: npm run admin -- ${c} `));
      }
      // The process itself, once: the entry point runs the same function and exits with its code.
      const [all, one] = [await admin(demoEnv, '--help'), await admin(demoEnv, 'report', '--help')];
      expect(all.code).toBe(0);
      for (const c of COMMANDS) expect(all.stdout).toContain(`  ${c} `);
      expect(one).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: npm run admin -- report /) });
    },
    CEILING,
  );

  it(
    'lists the workshops of a fiscal year with the ids create-participant takes, as text and as JSON',
    async () => {
      const text = await admin(demoEnv, 'list-workshops', '--fiscal-year', '2020');
      expect(text.code).toBe(0);
      const lines = text.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(9);
      expect(text.stdout).toMatch(
        new RegExp(
          `^${PCA_PACIFIC}  \\d{4}-\\d{2}-\\d{2} to \\d{4}-\\d{2}-\\d{2}  sub-regional\\s+\\d+ on roster  WCO Sub-regional Workshop on PCA \\(Pacific\\)$`,
          'm',
        ),
      );
      const json = await admin(demoEnv, 'list-workshops', '--json');
      expect(json.code).toBe(0);
      const items = JSON.parse(json.stdout) as {
        workshop: { id: string; startDate: string };
        counts: { roster: number };
      }[];
      expect(items.length).toBeGreaterThan(9);
      expect(items.find((i) => i.workshop.id === PCA_PACIFIC)?.counts.roster).toBeGreaterThan(0);
      expect(items.map((i) => i.workshop.startDate)).toEqual(
        items
          .map((i) => i.workshop.startDate)
          .sort()
          .reverse(),
      );
      expect(await admin(demoEnv, 'list-workshops', '--fiscal-year', '2020/21')).toMatchObject({ code: 2 });
    },
    CEILING,
  );

  it(
    'prints the same bytes into a slow pipe as into a file, beyond the 64 KiB a pipe holds',
    async () => {
      // A reader that takes 1 KiB at a time with a pause: the CLI must wait for it rather than exit with output unsent.
      const reader = path.join(dir, 'slow-reader.mjs');
      fs.writeFileSync(
        reader,
        [
          "import fs from 'node:fs';",
          'const buf = Buffer.alloc(1024);',
          'const pause = new Int32Array(new SharedArrayBuffer(4));',
          'for (;;) {',
          '  let n;',
          '  try { n = fs.readSync(0, buf, 0, buf.length, null); }',
          "  catch (e) { if (e.code !== 'EAGAIN') throw e; Atomics.wait(pause, 0, 0, 5); continue; }",
          '  if (n === 0) break;',
          '  fs.writeSync(1, buf.subarray(0, n));',
          '  Atomics.wait(pause, 0, 0, 3);',
          '}',
        ].join('\n'),
      );
      const { DATABASE_URL: _pg, ...inherited } = process.env;
      const shell = (line: string) =>
        new Promise<void>((resolve, reject) =>
          execFile('sh', ['-c', line], { env: { ...inherited, ...demoEnv } }, (error, _out, stderr) =>
            error ? reject(new Error(`${line}: ${stderr}`)) : resolve(),
          ),
        );
      const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
      const printing = [
        ['report', '--fiscal-year', '2020', '--json'],
        ['export-responses', '--fiscal-year', '2020'],
        ['list-workshops', '--json'],
        ['list-devices'],
      ];
      for (const [i, args] of printing.entries()) {
        const command = [process.execPath, '--import', 'tsx', ADMIN, ...args].map(quote).join(' ');
        const [file, piped] = [path.join(dir, `direct-${i}.out`), path.join(dir, `piped-${i}.out`)];
        await shell(`${command} > ${quote(file)}`);
        await shell(`${command} | ${quote(process.execPath)} ${quote(reader)} > ${quote(piped)}`);
        const [direct, throughPipe] = [fs.readFileSync(file), fs.readFileSync(piped)];
        expect(direct.length, args.join(' ')).toBeGreaterThan(0);
        expect(throughPipe.equals(direct), `${args.join(' ')}: ${throughPipe.length} of ${direct.length} bytes`).toBe(
          true,
        );
        if (i === 0) expect(direct.length).toBeGreaterThan(64 * 1024);
      }
    },
    CEILING,
  );

  it(
    'refuses a wrong command line with exit code 2 and says what is wrong',
    async () => {
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
    },
    CEILING,
  );
});
