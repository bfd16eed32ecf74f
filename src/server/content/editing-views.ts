/**
 * What the coordinator workspace edits, read live from the record store:
 * every workshop including drafts (devices only ever receive published ones
 * through sync) with its counts, one workshop with its agenda, materials and
 * roster, and the tool summaries, each with the version and time of its
 * last change (the editor shows "saved 10:42" and notices someone else's).
 */
import { AgendaSession, Material, ToolSummary, Workshop } from '../../shared/schemas/workshop';
import type { Participant } from '../../shared/schemas/participant';
import type { Db } from '../sync/store';
import { rosterCounts, rosterParticipantIds } from '../people/roster';
import { participantsByIds } from '../people/participants';
import { deviceContacts } from '../people/devices';

interface Stamp {
  version: number;
  updatedAt: string;
}

interface LiveRow {
  id: string;
  data: string;
  seq: number;
  updated_at: string;
  workshop_id: string | null;
}

async function liveRows(db: Db, collection: string, workshopId?: string): Promise<LiveRow[]> {
  let q = db
    .selectFrom('records')
    .select(['id', 'data', 'seq', 'updated_at', 'workshop_id'])
    .where('collection', '=', collection)
    .where('deleted', '=', 0);
  if (workshopId !== undefined) q = q.where('workshop_id', '=', workshopId);
  return q.execute();
}

function countBy(rows: readonly { workshop_id: string | null }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) if (r.workshop_id) out.set(r.workshop_id, (out.get(r.workshop_id) ?? 0) + 1);
  return out;
}

export interface WorkshopListItem extends Stamp {
  workshop: Workshop;
  counts: { sessions: number; materials: number; roster: number };
}

/** All workshops, drafts included, newest first, with counts of sessions, materials and roster. */
export async function workshopsForEditing(db: Db): Promise<WorkshopListItem[]> {
  const workshops = await liveRows(db, 'workshops');
  const sessions = countBy(await liveRows(db, 'agendaSessions'));
  const materials = countBy(await liveRows(db, 'materials'));
  const roster = await rosterCounts(db);
  const items = workshops.map((row) => ({
    workshop: Workshop.parse(JSON.parse(row.data)),
    version: Number(row.seq),
    updatedAt: row.updated_at,
    counts: {
      sessions: sessions.get(row.id) ?? 0,
      materials: materials.get(row.id) ?? 0,
      roster: roster.get(row.id) ?? 0,
    },
  }));
  return items.sort(
    (a, b) =>
      b.workshop.startDate.localeCompare(a.workshop.startDate) || a.workshop.title.localeCompare(b.workshop.title),
  );
}

export interface RosterParticipant extends Participant {
  /** Devices enrolled for this participant and not revoked. */
  devices: number;
  /** Latest contact of any of the participant's devices; null if never enrolled. */
  lastContact: string | null;
}

export interface WorkshopDetail extends Stamp {
  workshop: Workshop;
  sessions: AgendaSession[];
  materials: Material[];
  roster: RosterParticipant[];
}

/** One workshop (draft or published) with its agenda, materials and roster; null if none or withdrawn. */
export async function workshopForEditing(db: Db, id: string): Promise<WorkshopDetail | null> {
  const row = await db
    .selectFrom('records')
    .select(['data', 'seq', 'updated_at'])
    .where('id', '=', id)
    .where('collection', '=', 'workshops')
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!row) return null;

  const sessions = (await liveRows(db, 'agendaSessions', id))
    .map((s) => AgendaSession.parse(JSON.parse(s.data)))
    .sort((a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || a.end.localeCompare(b.end));
  const materials = (await liveRows(db, 'materials', id))
    .map((m) => Material.parse(JSON.parse(m.data)))
    .sort((a, b) => a.title.localeCompare(b.title));
  const roster = await rosterWithContacts(db, id);
  return {
    workshop: Workshop.parse(JSON.parse(row.data)),
    version: Number(row.seq),
    updatedAt: row.updated_at,
    sessions,
    materials,
    roster,
  };
}

/** A workshop's participants with their devices, by administration and name. */
async function rosterWithContacts(db: Db, workshopId: string): Promise<RosterParticipant[]> {
  const ids = await rosterParticipantIds(db, workshopId);
  const contacts = await deviceContacts(db, ids);
  return (await participantsByIds(db, ids))
    .map((p) => ({
      ...p,
      devices: contacts.get(p.id)?.activeDevices ?? 0,
      lastContact: contacts.get(p.id)?.lastContact ?? null,
    }))
    .sort((a, b) => a.memberCode.localeCompare(b.memberCode) || a.fullName.localeCompare(b.fullName));
}

/** All live tool summaries, by title. */
export async function toolSummariesForEditing(db: Db): Promise<({ toolSummary: ToolSummary } & Stamp)[]> {
  const rows = await liveRows(db, 'toolSummaries');
  return rows
    .map((row) => ({
      toolSummary: ToolSummary.parse(JSON.parse(row.data)),
      version: Number(row.seq),
      updatedAt: row.updated_at,
    }))
    .sort((a, b) => a.toolSummary.title.localeCompare(b.toolSummary.title));
}
