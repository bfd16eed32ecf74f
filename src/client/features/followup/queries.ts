/**
 * Reads only the follow-up log needs: one action, the files still waiting
 * for it, and the phone's upload backlog. For useLiveQuery, like the shared
 * reads in content/records.ts.
 */
import type { PendingUpload, VakaDatabase } from '../../../device/db/database';
import type { ActionRow } from '../../content/records';

export async function getAction(db: VakaDatabase, id: string): Promise<ActionRow | null> {
  const row = await db.followUpActions.get(id);
  return row && !row._deleted ? row : null;
}

/** Files still waiting for one record, oldest first. */
export async function pendingFiles(db: VakaDatabase, recordId: string): Promise<PendingUpload[]> {
  const rows = await db.pendingUploads.where('recordId').equals(recordId).toArray();
  return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Total bytes and files of evidence waiting to upload on this phone. */
export async function uploadBacklog(db: VakaDatabase): Promise<{ files: number; bytes: number; refused: number }> {
  const rows = await db.pendingUploads.toArray();
  const waiting = rows.filter((r) => r.failure === null);
  return {
    files: waiting.length,
    bytes: waiting.reduce((sum, r) => sum + Math.max(0, r.byteSize - r.bytesSent), 0),
    refused: rows.length - waiting.length,
  };
}
