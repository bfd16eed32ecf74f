/**
 * Publishing content as coordinators do: workshops, agenda sessions,
 * materials and tool summaries, each checked against what is already stored
 * as the content-pack loader checks a pack (so phones never get a dangling
 * link), then written through the same versioned record store as device
 * sync, so devices receive it as a delta on their next sync.
 */
import type { Kysely } from 'kysely';
import { Workshop, type AgendaSession, type Material, type ToolSummary } from '../../shared/schemas/workshop';
import type { Database } from '../db/schema';
import { getRecord, type Db } from '../sync/store';
import { putRecord } from '../sync/publish';

/** Why a write was refused: an error code and a sentence for the coordinator. */
export interface Refusal {
  kind: 'refused';
  error: string;
  message: string;
}

export type Published = { kind: 'saved'; version: number } | Refusal;

const refuse = (error: string, message: string): Refusal => ({ kind: 'refused', error, message });

async function liveWorkshop(db: Db, id: string): Promise<Workshop | null> {
  const w = await getRecord(db, id);
  return w && w.collection === 'workshops' && !w.deleted ? Workshop.parse(w.data) : null;
}

async function unknownToolSlug(db: Db, slugs: readonly string[]): Promise<Refusal | null> {
  if (slugs.length === 0) return null;
  const rows = await db
    .selectFrom('records')
    .select('data')
    .where('collection', '=', 'toolSummaries')
    .where('deleted', '=', 0)
    .execute();
  const known = new Set(rows.map((row) => String((JSON.parse(row.data) as { slug?: unknown }).slug)));
  const slug = slugs.find((s) => !known.has(s));
  return slug === undefined
    ? null
    : refuse('unknown_tool', `No tool summary "${slug}"; publish it first or pick another.`);
}

async function foreignSession(db: Db, workshopId: string, sessionIds: readonly string[]): Promise<string | null> {
  for (const id of sessionIds) {
    const s = await getRecord(db, id);
    if (!s || s.collection !== 'agendaSessions' || s.deleted || s.data.workshopId !== workshopId) return id;
  }
  return null;
}

export async function publishWorkshop(db: Kysely<Database>, workshop: Workshop, now: string): Promise<Published> {
  const refused = await unknownToolSlug(db, workshop.toolSlugs);
  if (refused) return refused;
  return {
    kind: 'saved',
    version: await db.transaction().execute((trx) => putRecord(trx, 'workshops', workshop, now)),
  };
}

export async function publishAgendaSession(
  db: Kysely<Database>,
  session: AgendaSession,
  now: string,
): Promise<Published> {
  const workshop = await liveWorkshop(db, session.workshopId);
  if (!workshop) return refuse('unknown_workshop', 'No workshop with this workshopId.');
  if (session.joinUrl !== null && workshop.mode === 'in-person')
    return refuse(
      'join_link_in_person',
      'A session of an in-person workshop has no join link; make the workshop online or hybrid first.',
    );
  const refused = await unknownToolSlug(db, session.toolSlugs);
  if (refused) return refused;
  return {
    kind: 'saved',
    version: await db.transaction().execute((trx) => putRecord(trx, 'agendaSessions', session, now)),
  };
}

/**
 * Publishes a material whose file is already on the server. A changed file
 * gets the next material version; the audience never changes once published.
 */
export async function publishMaterial(
  db: Kysely<Database>,
  material: Omit<Material, 'version' | 'byteSize'>,
  now: string,
): Promise<{ kind: 'saved'; version: number; materialVersion: number } | Refusal> {
  if (!(await liveWorkshop(db, material.workshopId)))
    return refuse('unknown_workshop', 'No workshop with this workshopId.');
  const session = await foreignSession(db, material.workshopId, material.sessionIds);
  if (session !== null) return refuse('unknown_session', `Session ${session} is not on this workshop's agenda.`);
  const file = await db.selectFrom('files').selectAll().where('sha256', '=', material.sha256).executeTakeFirst();
  if (!file) return refuse('file_missing', 'Upload the file first; no file with this sha256 is on the server.');
  const previous = await getRecord(db, material.id);
  if (previous && previous.data.audience !== material.audience)
    return refuse(
      'audience_fixed',
      'The audience of a published material cannot change; publish a new material instead.',
    );
  const prevVersion = previous && !previous.deleted ? Number(previous.data.version) : 0;
  const materialVersion = previous && previous.data.sha256 === material.sha256 ? prevVersion : prevVersion + 1;
  const version = await db
    .transaction()
    .execute((trx) =>
      putRecord(trx, 'materials', { ...material, byteSize: Number(file.byte_size), version: materialVersion }, now),
    );
  return { kind: 'saved', version, materialVersion };
}

export async function publishToolSummary(db: Kysely<Database>, summary: ToolSummary, now: string): Promise<Published> {
  const others = await db
    .selectFrom('records')
    .select(['id', 'data'])
    .where('collection', '=', 'toolSummaries')
    .where('deleted', '=', 0)
    .where('id', '!=', summary.id)
    .execute();
  if (others.some((c) => (JSON.parse(c.data) as { slug: string }).slug === summary.slug))
    return refuse('slug_taken', `Another tool summary already uses the slug "${summary.slug}".`);
  return {
    kind: 'saved',
    version: await db.transaction().execute((trx) => putRecord(trx, 'toolSummaries', summary, now)),
  };
}
