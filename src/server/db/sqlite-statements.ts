/**
 * better-sqlite3 for Kysely with its prepared statements kept. Kysely asks
 * the driver to prepare every query it runs; the sync path runs the same few
 * dozen SQL texts thousands of times a second under load, so compiling each
 * once and reusing it takes that work off the single writer. Statements are
 * kept per SQL text, least recently used first out. Reuse is safe because
 * Kysely's SQLite driver runs one query at a time on its one connection, and
 * SQLite re-prepares a kept statement by itself after a schema change.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function withStatementCache(sqlite: SQLite.Database, size = 500): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      const kept = statements.get(sql);
      if (kept) {
        // Map order is insertion order: moving it to the end makes the first key the least recently used.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = sqlite.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
