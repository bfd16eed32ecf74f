/**
 * Short scope ids: a device names each of its pull cursors by a small number
 * instead of a 36-character workshop id, which keeps an idle sync under 1 KB.
 * Frozen: typed Kysely<any> like every migration.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time, see header
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('scope_ids')
    .addColumn('sid', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull().unique())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see header
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scope_ids').execute();
}
