/**
 * Workshop rosters: who takes part in which workshop. A roster entry is what
 * lets a participant's devices receive a workshop's participants-only
 * materials. Putting someone on a roster twice changes nothing, whoever does
 * it (the API, the CLI, a responses import).
 */
import type { Db } from '../sync/store';

export interface RosterEntry {
  workshopId: string;
  participantId: string;
}

/** Puts a participant on a workshop's roster; already there is fine. */
export async function addToRoster(db: Db, entry: RosterEntry): Promise<void> {
  await db
    .insertInto('roster')
    .values({ workshop_id: entry.workshopId, participant_id: entry.participantId })
    .onConflict((oc) => oc.columns(['workshop_id', 'participant_id']).doNothing())
    .execute();
}

/** Takes a participant off a workshop's roster; false when they were not on it. */
export async function removeFromRoster(db: Db, entry: RosterEntry): Promise<boolean> {
  const res = await db
    .deleteFrom('roster')
    .where('workshop_id', '=', entry.workshopId)
    .where('participant_id', '=', entry.participantId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** The roster entries of some workshops. */
export async function rosterOf(db: Db, workshopIds: readonly string[]): Promise<RosterEntry[]> {
  if (workshopIds.length === 0) return [];
  const rows = await db
    .selectFrom('roster')
    .select(['workshop_id', 'participant_id'])
    .where('workshop_id', 'in', workshopIds)
    .execute();
  return rows.map((x) => ({ workshopId: x.workshop_id, participantId: x.participant_id }));
}

/** The ids of the participants on one workshop's roster. */
export async function rosterParticipantIds(db: Db, workshopId: string): Promise<string[]> {
  const rows = await db.selectFrom('roster').select('participant_id').where('workshop_id', '=', workshopId).execute();
  return rows.map((x) => x.participant_id);
}

/** The number of participants on each workshop's roster (workshops with nobody are left out). */
export async function rosterCounts(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('roster')
    .select(['workshop_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('workshop_id')
    .execute();
  return new Map(rows.map((x) => [x.workshop_id, Number(x.n)]));
}
