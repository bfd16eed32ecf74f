/**
 * Writes a loaded content pack into the database in one transaction (files
 * are copied into the content-addressed store, on the disk or in the bucket,
 * first, so a record never
 * names a file that is not there). Used for the demo content and by the
 * operator CLI's import-pack.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { LoadedPack } from './pack';
import { registerFile } from '../files/store';
import type { FileStorage } from '../files/storage';
import { putRecord } from '../sync/publish';

export async function importPack(
  db: Kysely<Database>,
  pack: LoadedPack,
  files: FileStorage,
): Promise<Record<string, number>> {
  for (const m of pack.materials) await files.importFile(m.absolutePath, m.sha256);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const m of pack.materials) await registerFile(trx, m.sha256, m.byteSize, m.mediaType, now);
    for (const w of pack.workshops) await putRecord(trx, 'workshops', w, now);
    for (const t of pack.toolSummaries) await putRecord(trx, 'toolSummaries', t, now);
    for (const s of pack.agendaSessions) await putRecord(trx, 'agendaSessions', s, now);
    for (const m of pack.materials) {
      const { file: _file, absolutePath: _path, ...material } = m;
      await putRecord(trx, 'materials', material, now);
    }
    for (const p of pack.participants) await putRecord(trx, 'participants', p, now);
    for (const r of pack.roster) {
      await trx
        .insertInto('roster')
        .values({ workshop_id: r.workshopId, participant_id: r.participantId })
        .onConflict((oc) => oc.columns(['workshop_id', 'participant_id']).doNothing())
        .execute();
    }
    for (const a of pack.followUpActions) await putRecord(trx, 'followUpActions', a, now);
    for (const s of pack.surveyResponses) await putRecord(trx, 'surveyResponses', s, now);
    for (const e of pack.evaluations) await putRecord(trx, 'evaluations', e, now);
  });
  return {
    workshops: pack.workshops.length,
    'agenda sessions': pack.agendaSessions.length,
    materials: pack.materials.length,
    'tool summaries': pack.toolSummaries.length,
    participants: pack.participants.length,
    'survey responses': pack.surveyResponses.length,
  };
}
