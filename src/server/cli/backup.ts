/**
 * `backup --out DIR` and `restore DIR`: a consistent copy of a SQLite
 * deployment taken while the server runs, and its return into an empty
 * instance. The database is copied with SQLite's online backup API
 * (better-sqlite3's .backup()), which gives one point in time even while
 * the server writes. Files are content-addressed and never change, and a
 * record only names a file once the file is stored, so copying the files
 * that the copied `files` table lists, after the database, gives a
 * consistent pair. Files are read from and restored into whichever store
 * the configuration names (disk or S3), each checked against its sha256.
 * PostgreSQL deployments use pg_dump/pg_restore instead (docs/operations.md).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openFileStorage } from '../files/open';
import { FileStore } from '../files/store';
import { parseCommandArgs, type CliContext, type Command } from './command';

const DATABASE_FILE = 'vaka.db';
const FILES_DIR = 'files';
const MANIFEST = 'backup.json';

interface Manifest {
  format: 1;
  createdAt: string;
  files: number;
}

function sqlitePath(ctx: CliContext, verb: string): string | null {
  const database = ctx.config().database;
  if (database.kind === 'sqlite' && database.path !== ':memory:') return database.path;
  ctx.err(
    `${verb} works on the SQLite database. For PostgreSQL use pg_dump and pg_restore (see docs/operations.md, Backups).`,
  );
  return null;
}

export const backupCommand: Command = {
  name: 'backup',
  synopsis: '--out DIR',
  summary: 'Copy the SQLite database and every stored file into DIR, while the server runs.',
  help: [
    '  --out DIR  a new or empty folder; it receives vaka.db, files/ and backup.json',
    '',
    'The database copy is one point in time (SQLite online backup); the files it names are',
    'copied after it and checked against their sha256. Restore with `restore DIR`.',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs(this.name, argv, { out: { type: 'string' } }, { names: [] });
    if (!values.out) {
      ctx.err('Give --out DIR: the folder to write the backup into.');
      return 2;
    }
    const source = sqlitePath(ctx, 'backup');
    if (!source) return 1;
    if (!fs.existsSync(source)) {
      ctx.err(`No database at ${source}: nothing to back up.`);
      return 1;
    }
    const out = values.out;
    if (fs.existsSync(out) && fs.readdirSync(out).length > 0) {
      ctx.err(`${out} is not empty: give a new or empty folder.`);
      return 1;
    }
    await fsp.mkdir(out, { recursive: true });
    const copy = path.join(out, DATABASE_FILE);
    const live = new SQLite(source, { fileMustExist: true });
    try {
      live.pragma('busy_timeout = 5000');
      // All pages in one step, inside one read transaction: a backup copied in small steps starts over
      // whenever the server writes in between, and under steady writes would never finish.
      await live.backup(copy, { progress: () => 0x7fffffff });
    } finally {
      live.close();
    }

    const snapshot = new SQLite(copy, { readonly: true });
    const shas = snapshot.prepare('select sha256 from files order by sha256').pluck().all() as string[];
    snapshot.close();
    const files = openFileStorage(ctx.config());
    const target = new FileStore(path.join(out, FILES_DIR));
    try {
      for (const sha256 of shas) await target.put(await files.read(sha256), sha256);
    } finally {
      await files.close();
    }
    const manifest: Manifest = { format: 1, createdAt: new Date().toISOString(), files: shas.length };
    await fsp.writeFile(path.join(out, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    ctx.out(`Backed up the database and ${shas.length} files to ${out}.`);
    return 0;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  synopsis: 'DIR',
  summary: 'Restore a backup made by `backup` into an empty instance (no database yet).',
  help: [
    'Run it with the server stopped, on the configuration the server will use (DATABASE_PATH,',
    'FILES_DIR or S3_*). It refuses an instance that already has a database: move that away first.',
  ].join('\n'),
  async run(argv, ctx) {
    const { positionals } = parseCommandArgs(this.name, argv, {}, { names: ['DIR'] });
    const dir = positionals[0]!;
    const manifestFile = path.join(dir, MANIFEST);
    if (!fs.existsSync(manifestFile) || !fs.existsSync(path.join(dir, DATABASE_FILE))) {
      ctx.err(`${dir} is not a backup: it has no ${MANIFEST} and ${DATABASE_FILE}.`);
      return 1;
    }
    const manifest = JSON.parse(await fsp.readFile(manifestFile, 'utf8')) as Manifest;
    if (manifest.format !== 1) {
      ctx.err(`${dir} is a backup in format ${String(manifest.format)}, which this version cannot read.`);
      return 1;
    }
    const target = sqlitePath(ctx, 'restore');
    if (!target) return 1;
    if (fs.existsSync(target)) {
      ctx.err(
        `Refusing to restore: ${target} already exists, so this instance is not empty. ` +
          'Stop the server and move that database (and its -wal and -shm files) away first.',
      );
      return 1;
    }

    // Files first: a database that names a file must never be there without it.
    const files = openFileStorage(ctx.config());
    const source = new FileStore(path.join(dir, FILES_DIR));
    const snapshot = new SQLite(path.join(dir, DATABASE_FILE), { readonly: true });
    const shas = snapshot.prepare('select sha256 from files order by sha256').pluck().all() as string[];
    snapshot.close();
    try {
      for (const sha256 of shas) if (!(await files.has(sha256))) await files.put(await source.read(sha256), sha256);
    } finally {
      await files.close();
    }
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.copyFile(path.join(dir, DATABASE_FILE), target, fs.constants.COPYFILE_EXCL);
    ctx.out(`Restored the database and ${shas.length} files from ${dir} (backed up ${manifest.createdAt}).`);
    return 0;
  },
};
