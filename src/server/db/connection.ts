/**
 * Opens the database the configuration names: embedded SQLite (WAL,
 * synchronous=FULL so an acknowledged sync survives a power cut) or
 * PostgreSQL, and brings its schema up to date.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema';
import type { Dialect } from './dialect';
import { withStatementCache } from './sqlite-statements';
import * as initial from './migrations/20261127T1800-initial';
import * as scopeIds from './migrations/20261128T0900-scope-ids';
import * as messages from './migrations/20261204T1600-messages';
import * as asvsLevel2 from './migrations/20261204T1710-asvs-level-2';
import * as rateLimits from './migrations/20261204T1800-rate-limits';

export type { Dialect };

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };

/** Migrations in timestamp order. Each is frozen once released. */
function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '20261127T1800-initial': { up: (db) => initial.up(db, dialect), down: (db) => initial.down(db) },
    '20261128T0900-scope-ids': { up: (db) => scopeIds.up(db, dialect), down: (db) => scopeIds.down(db) },
    '20261204T1600-messages': { up: (db) => messages.up(db), down: (db) => messages.down(db) },
    '20261204T1710-asvs-level-2': { up: (db) => asvsLevel2.up(db), down: (db) => asvsLevel2.down(db) },
    '20261204T1800-rate-limits': { up: (db) => rateLimits.up(db), down: (db) => rateLimits.down(db) },
  };
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  let db: Kysely<Database>;
  let dialect: Dialect;
  if (target.kind === 'postgres') {
    dialect = 'postgres';
    // COUNT(*) and integer columns come back as numbers, not strings.
    pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: 10 }) }),
    });
  } else {
    dialect = 'sqlite';
    if (target.path !== ':memory:') fs.mkdirSync(path.dirname(target.path), { recursive: true });
    const sqlite = new SQLite(target.path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  }
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(error)}`);
  }
  return { db, dialect, close: () => db.destroy() };
}
