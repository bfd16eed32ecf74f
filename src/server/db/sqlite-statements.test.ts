/** The statement cache prepares each SQL text once, evicts the least recently used, and keeps queries right. */
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { withStatementCache } from './sqlite-statements';

describe('withStatementCache', () => {
  it('prepares a query once however often Kysely runs it, and still answers each run', async () => {
    const sqlite = new SQLite(':memory:');
    const prepare = vi.spyOn(sqlite, 'prepare');
    const db = new Kysely<{ t: { n: number } }>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    await db.schema.createTable('t').addColumn('n', 'integer').execute();
    for (let n = 0; n < 50; n++) await db.insertInto('t').values({ n }).execute();
    const count = () =>
      db
        .selectFrom('t')
        .select(sql<number>`count(*)`.as('c'))
        .executeTakeFirstOrThrow();
    expect((await count()).c).toBe(50);
    expect(prepare.mock.calls.filter(([text]) => text.startsWith('insert'))).toHaveLength(1);
    await db.destroy();
  });

  it('keeps at most `size` statements, dropping the least recently used', () => {
    const sqlite = new SQLite(':memory:');
    const prepare = vi.spyOn(sqlite, 'prepare');
    const cached = withStatementCache(sqlite, 2);
    cached.prepare('select 1');
    cached.prepare('select 2');
    cached.prepare('select 1');
    cached.prepare('select 3'); // evicts "select 2"
    cached.prepare('select 1');
    cached.prepare('select 2');
    expect(prepare.mock.calls.map(([text]) => text)).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    cached.close();
  });
});
