/**
 * Reading live (not deleted) records of a collection back through their zod
 * schema, so every service sees stored rows with the types the devices and
 * the routes agree on. Writes go through sync/publish.ts.
 */
import type { Kysely } from 'kysely';
import type * as z from 'zod';
import type { Database } from './schema';

/** Live records of a collection, read through their schema, optionally only those of some workshops or ids. */
export async function live<T>(
  db: Kysely<Database>,
  collection: string,
  schema: z.ZodType<T>,
  filter?: { workshopIds?: readonly string[]; ids?: readonly string[] },
): Promise<T[]> {
  let q = db.selectFrom('records').select('data').where('collection', '=', collection).where('deleted', '=', 0);
  if (filter?.workshopIds) {
    if (filter.workshopIds.length === 0) return [];
    q = q.where('workshop_id', 'in', filter.workshopIds);
  }
  if (filter?.ids) {
    if (filter.ids.length === 0) return [];
    q = q.where('id', 'in', filter.ids);
  }
  const rows = await q.execute();
  return rows.map((r) => schema.parse(JSON.parse(r.data)));
}
