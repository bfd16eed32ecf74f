/**
 * What the participant has seen of each workshop's agenda (its materials:
 * content/seen-materials.ts), kept in IndexedDB so highlights survive
 * closing the app. The first time a
 * workshop's agenda is on the device (after a sync, or when first opened)
 * its state becomes the baseline; later syncs are compared with it until
 * the participant dismisses the highlights, which moves the baseline on.
 */
import type { VakaDatabase } from '../../../device/db/database';
import type { SeenSession } from '../../../device/downloads/types';
import { baselineMaterials } from '../../content/seen-materials';
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

/** Baselines every workshop on the device that has none (run after a sync). */
export async function baselineAll(db: VakaDatabase): Promise<void> {
  const workshops = await db.workshops.toCollection().primaryKeys();
  for (const id of workshops) {
    await baselineAgenda(db, id);
    await baselineMaterials(db, id);
  }
}
