/**
 * `npm run admin -- backup` while the server runs and writes, then
 * `restore` into an empty instance: every record, every file and the
 * follow-up report come back identical, and a second restore over the now
 * non-empty instance is refused. SQLite only: PostgreSQL is backed up with
 * pg_dump (docs/operations.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { startTestServer, type TestServer } from './harness';
import { seedDemo } from '../../src/server/content/seed';
import { runAdmin } from '../../src/server/cli/run';
import { putRecord } from '../../src/server/sync/publish';

async function admin(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdmin(
    argv,
    { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
    env,
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Every row of every table, in a stable order. */
function dump(file: string): Record<string, unknown[]> {
  const db = new SQLite(file, { readonly: true });
  try {
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((t) => [
        t,
        db
          .prepare(`select * from "${t}"`)
          .all()
          .map((r) => JSON.stringify(r))
          .sort(),
      ]),
    );
  } finally {
    db.close();
  }
}

/** Every stored file's path under the files folder and its bytes, ignoring tus's unfinished uploads. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.uploads') walk(full);
      } else out[path.relative(dir, full)] = fs.readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return out;
}

describe('backup and restore (SQLite and the file store)', () => {
  let s: TestServer;
  let dir: string;
  let sourceEnv: Record<string, string>;

  beforeAll(async () => {
    s = await startTestServer('sqlite');
    await seedDemo(s.database.db, s.config, { demoAccounts: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaka-backup-'));
    if (s.config.database.kind !== 'sqlite') throw new Error('SQLite expected');
    sourceEnv = { DATABASE_PATH: s.config.database.path, FILES_DIR: s.config.filesDir, DEMO_CONTENT: '0' };
  }, 120_000);

  afterAll(async () => {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores into an empty instance every record, every file and the same report', async () => {
    // The server keeps writing while the backup runs.
    let writing = true;
    const writes = (async () => {
      let n = 0;
      while (writing) {
        // SQLite answers synchronously: yield so the backup's own steps get their turn.
        await new Promise((resolve) => setImmediate(resolve));
        const id = randomUUID();
        await putRecord(
          s.database.db,
          'participants',
          { id, fullName: `During backup ${n++}`, memberCode: 'FJ' },
          new Date().toISOString(),
        );
      }
      return n;
    })();
    const out = path.join(dir, 'backup');
    const backup = await admin(sourceEnv, 'backup', '--out', out);
    writing = false;
    expect(await writes).toBeGreaterThan(0);
    expect(backup).toMatchObject({ code: 0, stdout: expect.stringMatching(/Backed up the database and \d+ files/) });

    // What the backup holds is one point in time: compare against it, and against the source once quiet.
    const targetEnv = {
      DATABASE_PATH: path.join(dir, 'restored', 'vaka.db'),
      FILES_DIR: path.join(dir, 'restored', 'files'),
      DEMO_CONTENT: '0',
    };
    const restore = await admin(targetEnv, 'restore', out);
    expect(restore).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Restored the database and \d+ files/) });

    const restored = dump(targetEnv.DATABASE_PATH);
    expect(restored).toEqual(dump(path.join(out, 'vaka.db')));
    const source = dump(sourceEnv.DATABASE_PATH!);
    // Every table but the records written after the copy matches the live source.
    for (const [table, rows] of Object.entries(source))
      if (table !== 'records' && table !== 'scope_seq') expect(restored[table], table).toEqual(rows);
    const sourceRecords = new Set(source.records);
    for (const row of restored.records!) expect(sourceRecords.has(row)).toBe(true);

    const files = filesOf(targetEnv.FILES_DIR);
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expect(files).toEqual(filesOf(sourceEnv.FILES_DIR!));

    for (const year of ['2020', '2021']) {
      const before = await admin(sourceEnv, 'report', '--fiscal-year', year, '--json');
      const after = await admin(targetEnv, 'report', '--fiscal-year', year, '--json');
      expect(before.code).toBe(0);
      expect(after.stdout).toBe(before.stdout);
    }

    // The instance is no longer empty: a second restore is refused, and says why.
    const again = await admin(targetEnv, 'restore', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Refusing to restore: .* already exists/);
  }, 120_000);

  it('refuses a folder that is not empty, and PostgreSQL', async () => {
    const busy = path.join(dir, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'x'), 'x');
    expect(await admin(sourceEnv, 'backup', '--out', busy)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/not empty/),
    });
    const pg = await admin(
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      'backup',
      '--out',
      path.join(dir, 'pg'),
    );
    expect(pg).toMatchObject({ code: 1, stderr: expect.stringMatching(/pg_dump/) });
  });
});
