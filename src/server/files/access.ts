/**
 * Who may download a stored file. A file named by a public workshop's
 * material is public; one named only by participants-only materials is for
 * that workshop's roster; evidence is for its owner's devices. Coordinators
 * may read every file.
 */
import type { Caller } from '../auth/identity';
import type { Db } from '../sync/store';

export interface FileAccess {
  mediaType: string;
  /** Named by a material every visitor may see: cacheable by shared caches. */
  isPublic: boolean;
  /** Whether this caller may read it. */
  allowed: boolean;
}

/** Null when no file with this hash was registered. */
export async function fileAccess(db: Db, sha256: string, caller: Caller): Promise<FileAccess | null> {
  const file = await db.selectFrom('files').select('media_type').where('sha256', '=', sha256).executeTakeFirst();
  if (!file) return null;
  const materials = await db
    .selectFrom('records')
    .select(['scope', 'workshop_id'])
    .where('collection', '=', 'materials')
    .where('deleted', '=', 0)
    .where('data', 'like', `%${sha256}%`)
    .execute();
  const isPublic = materials.some((m) => m.scope.startsWith('w:'));
  const allowed =
    isPublic ||
    caller.kind === 'coordinator' ||
    (caller.kind === 'device' &&
      (materials.some((m) => m.workshop_id !== null && caller.device.workshopIds.has(m.workshop_id)) ||
        (await db
          .selectFrom('records')
          .select('id')
          .where('owner_participant_id', '=', caller.device.participantId)
          .where('data', 'like', `%${sha256}%`)
          .executeTakeFirst()) !== undefined));
  return { mediaType: file.media_type, isPublic, allowed };
}
