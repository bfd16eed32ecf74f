/**
 * Keeps a record with queued edits equal to "the server's copy, with the
 * outbox replayed on top". Local writes save the server's copy before their
 * first queued edit; the sync engine updates that copy from results and
 * pulled changes and then rebuilds the record here, so a pulled change never
 * hides an edit that is still waiting, and a rejected edit falls back to what
 * the server really has. Whether a queued edit takes on that copy is the
 * server's own rule (shared/sync/merge.ts): an edit of a record deleted or
 * submitted meanwhile shows nothing the server will not keep.
 *
 * Every function runs inside the caller's Dexie transaction.
 */
import type { CollectionName } from '../../shared/schemas/collections';
import { mergeDelete, mergePatch } from '../../shared/sync/merge';
import { serverCopyKey, type AnyStored, type OutboxEntry, type VakaDatabase } from './database';

export function recordTable(db: VakaDatabase, collection: CollectionName) {
  return db.table<AnyStored, string>(collection);
}

/** Saves the server's copy before the first queued edit of a record; later edits keep the first one. */
export async function ensureServerCopy(
  db: VakaDatabase,
  collection: CollectionName,
  recordId: string,
  current: AnyStored | undefined,
): Promise<void> {
  const key = serverCopyKey(collection, recordId);
  if (await db.serverCopies.get(key)) return;
  await db.serverCopies.put({ key, collection, recordId, record: current ?? null });
}

/** Applies one mutation's effect to a record, as the server would when it accepts it. */
export function applyEntry(base: AnyStored | null, entry: OutboxEntry, stamp: string): AnyStored | null {
  switch (entry.op) {
    case 'create':
      return { ...entry.fields, id: entry.recordId, _version: base?._version ?? 0, _deleted: false, _updatedAt: stamp };
    case 'patch': {
      // A patch of a record the device never had cannot be shown; the server will say not_found.
      if (!base) return null;
      // The device knows no field versions: it only asks whether the edit takes, never who it overrides.
      const merge = mergePatch(
        { collection: entry.collection, data: base, fieldVersions: {}, deleted: base._deleted },
        entry,
        null,
      );
      return merge.ok ? { ...base, ...merge.data, _updatedAt: stamp } : base;
    }
    case 'delete': {
      if (!base) return null;
      const merge = mergeDelete({
        collection: entry.collection,
        data: base,
        fieldVersions: {},
        deleted: base._deleted,
      });
      return merge.ok && !merge.alreadyDeleted ? { ...base, _deleted: true, _updatedAt: stamp } : base;
    }
  }
}

/** The record the participant sees: the server's copy with every queued edit replayed in mid order. */
export function replayPending(base: AnyStored | null, entries: readonly OutboxEntry[]): AnyStored | null {
  let record = base;
  for (const entry of [...entries].sort((a, b) => a.mid - b.mid)) record = applyEntry(record, entry, entry.queuedAt);
  return record;
}

/**
 * Rewrites a record from its server copy and whatever is still queued for it;
 * once nothing is queued, the server copy becomes the record and the copy row goes.
 */
export async function rebuildRecord(db: VakaDatabase, collection: CollectionName, recordId: string): Promise<void> {
  const key = serverCopyKey(collection, recordId);
  const copy = await db.serverCopies.get(key);
  if (!copy) return;
  const pending = (await db.outbox.where('recordId').equals(recordId).toArray()).filter(
    (e) => e.collection === collection,
  );
  const table = recordTable(db, collection);
  const record = pending.length === 0 ? copy.record : replayPending(copy.record, pending);
  if (pending.length === 0) await db.serverCopies.delete(key);
  if (record) await table.put(record);
  else await table.delete(recordId);
}
