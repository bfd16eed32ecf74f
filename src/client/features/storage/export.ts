/**
 * A copy of everything the participant recorded that the server has not
 * acknowledged yet, as one JSON file: the outbox (each queued change), the
 * current local state of every record it touches, changes the server
 * refused, and the names and sizes of evidence files still to upload. A
 * phone that is lost, wiped or evicted before the next sync then loses
 * nothing the participant cannot hand to a coordinator. The device token is
 * a credential and is never written out.
 */
import { readDeviceIdentity, readSyncState, type VakaDatabase } from '../../../device/db/database';

export const EXPORT_FORMAT = 'vaka-unsynced-records/1';

export interface UnsyncedExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  deviceId: string | null;
  participantId: string | null;
  lastSyncAt: string | null;
  outbox: unknown[];
  records: { collection: string; id: string; record: unknown }[];
  rejected: unknown[];
  evidenceWaiting: {
    id: string;
    recordId: string;
    name: string;
    mediaType: string;
    byteSize: number;
    sha256: string;
  }[];
}

export async function buildUnsyncedExport(db: VakaDatabase, now: Date = new Date()): Promise<UnsyncedExport> {
  return db.transaction('r', db.tables, async () => {
    const [identity, state, outbox, rejected, uploads] = await Promise.all([
      readDeviceIdentity(db),
      readSyncState(db),
      db.outbox.orderBy('mid').toArray(),
      db.rejections.toArray(),
      db.pendingUploads.toArray(),
    ]);
    const seen = new Set<string>();
    const records: UnsyncedExport['records'] = [];
    for (const entry of outbox) {
      const key = `${entry.collection}/${entry.recordId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const record = await db.table(entry.collection).get(entry.recordId);
      records.push({ collection: entry.collection, id: entry.recordId, record: record ?? null });
    }
    return {
      format: EXPORT_FORMAT,
      exportedAt: now.toISOString(),
      deviceId: identity?.deviceId ?? null,
      participantId: identity?.participantId ?? null,
      lastSyncAt: state.lastSuccessAt,
      outbox,
      records,
      rejected,
      evidenceWaiting: uploads.map((u) => ({
        id: u.id,
        recordId: u.recordId,
        name: u.name,
        mediaType: u.mediaType,
        byteSize: u.byteSize,
        sha256: u.sha256,
      })),
    };
  });
}

export function exportFileName(now: Date = new Date()): string {
  return `vaka-unsent-${now.toISOString().slice(0, 16).replace(/[:T]/g, '-')}.json`;
}

/** Records unsent for days are at risk if the phone is lost or its storage cleared. */
export const LONG_WAIT_MS = 3 * 24 * 60 * 60 * 1000;

export function waitedLong(oldestPendingAt: string | null, now: number = Date.now()): boolean {
  return oldestPendingAt !== null && now - new Date(oldestPendingAt).getTime() > LONG_WAIT_MS;
}
