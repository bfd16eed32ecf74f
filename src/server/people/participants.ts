/**
 * Creating a participant: the record (synced like any other) and their
 * places on workshop rosters, written together, optionally with a first
 * enrolment code in the same transaction. The roster API, the operator CLI
 * and the demo seed all create participants here.
 */
import type { Kysely } from 'kysely';
import { Participant } from '../../shared/schemas/participant';
import { Workshop } from '../../shared/schemas/workshop';
import type { Database } from '../db/schema';
import { live } from '../db/live-records';
import { putRecord } from '../sync/publish';
import type { Db } from '../sync/store';
import { addToRoster } from './roster';
import { issueEnrolmentCode, type IssuedCode } from './enrolment-codes';

export type CreatedParticipant =
  { kind: 'created'; id: string; code: IssuedCode | null } | { kind: 'unknown_workshops'; missing: string[] };

/** The live (published or draft, not withdrawn) workshops among these ids. */
export function liveWorkshops(db: Db, ids: readonly string[]): Promise<Workshop[]> {
  return live(db, 'workshops', Workshop, { ids });
}

/** Stored participants with these ids, as rosters name them (a roster may still name a deleted record). */
export async function participantsByIds(db: Db, ids: readonly string[]): Promise<Participant[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('records')
    .select('data')
    .where('collection', '=', 'participants')
    .where('id', 'in', ids)
    .execute();
  return rows.map((x) => Participant.parse(JSON.parse(x.data)));
}

/**
 * Stores a participant and puts them on every workshop named, all or
 * nothing; refuses when a workshop is unknown or withdrawn. With
 * `enrolmentCodeTtlHours`, also issues their first enrolment code.
 */
export async function createParticipant(
  db: Kysely<Database>,
  input: { participant: Participant; workshopIds: readonly string[] },
  now: Date,
  options: { enrolmentCodeTtlHours?: number } = {},
): Promise<CreatedParticipant> {
  const { participant, workshopIds } = input;
  return db.transaction().execute(async (trx): Promise<CreatedParticipant> => {
    const known = new Set((await liveWorkshops(trx, workshopIds)).map((w) => w.id));
    const missing = workshopIds.filter((w) => !known.has(w));
    if (missing.length) return { kind: 'unknown_workshops', missing };
    await putRecord(trx, 'participants', participant, now.toISOString());
    for (const workshopId of workshopIds) await addToRoster(trx, { workshopId, participantId: participant.id });
    const code =
      options.enrolmentCodeTtlHours === undefined
        ? null
        : await issueEnrolmentCode(trx, participant.id, options.enrolmentCodeTtlHours, now);
    return { kind: 'created', id: participant.id, code };
  });
}
