/**
 * Lets several server instances that start at once on one PostgreSQL
 * database take turns at first-start work (the demo seeding): the work runs
 * while this instance holds a session advisory lock named after it, so the
 * second instance waits, then finds the work done. The schema migrations
 * need no such lock: Kysely's Migrator already locks its own table. On
 * SQLite there is one instance and the work just runs.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Database } from './schema';

export async function withStartupLock<T>(db: Kysely<Database>, name: string, work: () => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return work();
  const key = `vaka:${name}`;
  // One pooled connection holds the lock; `work` may use any other. A crashed holder's lock ends with its session.
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn);
    }
  });
}
