/**
 * What the participant has seen of each workshop's agenda and materials,
 * kept in IndexedDB so highlights survive closing the app. The first time a
 * workshop's agenda is on the device (after a sync, or when first opened)
 * its state becomes the baseline; later syncs are compared with it until
 * the participant dismisses the highlights, which moves the baseline on.
 */
import type { VakaDatabase } from '../../../device/db/database';
import type { SeenMaterial, SeenSession } from '../../../device/downloads/types';
import { snapshotOf } from './changes';

async function liveSessions(db: VakaDatabase, workshopId: string) {
  const rows = await db.agendaSessions.where('workshopId').equals(workshopId).toArray();
  return rows.filter((s) => !s._deleted);
}

export async function readSeenSessions(db: VakaDatabase, workshopId: string): Promise<SeenSession[]> {
  return db.seenSessions.where('workshopId').equals(workshopId).toArray();
}

/**
 * Records the agenda as seen if nothing was recorded for this workshop yet.
 * A workshop with no sessions gets no baseline, so an agenda that arrives in
 * a later page of the same sync is not all marked "new".
 */
export async function baselineAgenda(db: VakaDatabase, workshopId: string): Promise<void> {
  await db.transaction('rw', db.seenSessions, db.agendaSessions, async () => {
    if ((await db.seenSessions.where('workshopId').equals(workshopId).count()) > 0) return;
    const sessions = await liveSessions(db, workshopId);
    if (sessions.length > 0) await db.seenSessions.bulkPut(sessions.map(snapshotOf));
  });
}

/** The participant has taken note: today's agenda becomes the new baseline. */
export async function dismissAgendaChanges(db: VakaDatabase, workshopId: string): Promise<void> {
  await db.transaction('rw', db.seenSessions, db.agendaSessions, async () => {
    await db.seenSessions.where('workshopId').equals(workshopId).delete();
    const sessions = await liveSessions(db, workshopId);
    await db.seenSessions.bulkPut(sessions.map(snapshotOf));
  });
}

export async function readSeenMaterials(db: VakaDatabase, workshopId: string): Promise<Map<string, SeenMaterial>> {
  const rows = await db.seenMaterials.where('workshopId').equals(workshopId).toArray();
  return new Map(rows.map((r) => [r.materialId, r]));
}

/** Notes the version of each material not yet recorded, so only later replacements count as "updated". */
export async function baselineMaterials(db: VakaDatabase, workshopId: string): Promise<void> {
  await db.transaction('rw', db.seenMaterials, db.materials, async () => {
    const [materials, seen] = await Promise.all([
      db.materials.where('workshopId').equals(workshopId).toArray(),
      db.seenMaterials.where('workshopId').equals(workshopId).primaryKeys(),
    ]);
    const known = new Set(seen);
    const fresh = materials.filter((m) => !m._deleted && !known.has(m.id));
    await db.seenMaterials.bulkPut(fresh.map((m) => ({ materialId: m.id, workshopId, version: m.version })));
  });
}

/** The participant opened this version. */
export async function markMaterialSeen(
  db: VakaDatabase,
  material: { id: string; workshopId: string; version: number },
): Promise<void> {
  await db.seenMaterials.put({ materialId: material.id, workshopId: material.workshopId, version: material.version });
}

export function isUpdatedSince(seen: SeenMaterial | undefined, material: { version: number }): boolean {
  return seen !== undefined && material.version > seen.version;
}

/** Baselines every workshop on the device that has none (run after a sync). */
export async function baselineAll(db: VakaDatabase): Promise<void> {
  const workshops = await db.workshops.toCollection().primaryKeys();
  for (const id of workshops) {
    await baselineAgenda(db, id);
    await baselineMaterials(db, id);
  }
}
