/**
 * Stores one sync response on the device, in a single Dexie transaction
 * (docs/sync-protocol.md, "The device"): acknowledged entries leave the
 * outbox, merges and rejections are logged for the participant, pulled
 * changes land, queued edits are replayed on top, and the new cursors are
 * saved with them. A crash leaves the device before or after the round,
 * never between [I1]; the round loop that sends requests is engine.ts.
 */
import { CollectionName } from '../../shared/schemas/collections';
import type { Change, MutationResult, SyncResponse } from '../../shared/sync/protocol';
import {
  readDeviceIdentity,
  readSyncState,
  serverCopyKey,
  writeSyncState,
  type AnyStored,
  type OutboxEntry,
  type ServerCopy,
  type VakaDatabase,
} from '../db/database';
import { applyEntry, rebuildRecord, recordTable } from '../db/replay';

export interface ApplySummary {
  acknowledged: number;
  received: number;
  conflicts: number;
  rejected: number;
  reset: boolean;
  gap: boolean;
}

type RecordRef = { collection: CollectionName; recordId: string };

/** Stores one response; everything in one transaction so the page and its cursor commit together. */
export async function applyResponse(
  db: VakaDatabase,
  res: SyncResponse,
  token: string | null,
): Promise<ApplySummary | 'stale'> {
  return db.transaction('rw', db.tables, async (): Promise<ApplySummary | 'stale'> => {
    const identity = await readDeviceIdentity(db);
    if ((identity?.deviceToken ?? null) !== token) return 'stale';
    const state = await readSyncState(db);
    const touched = new Map<string, RecordRef>();
    const touch = (ref: RecordRef) => touched.set(serverCopyKey(ref.collection, ref.recordId), ref);

    if (res.reset) for (const ref of await dropSyncedData(db)) touch(ref);

    // Every entry up to lastMid is done, whether or not its result came back.
    const acked = token ? await db.outbox.where('mid').belowOrEqual(res.lastMid).toArray() : [];
    const byMid = new Map(acked.map((e) => [e.mid, e]));
    const handled = new Set<number>();
    let conflicts = 0;
    let rejected = 0;
    for (const result of [...res.results].sort((a, b) => a.mid - b.mid)) {
      const entry = byMid.get(result.mid);
      if (!entry || handled.has(entry.mid)) continue;
      handled.add(entry.mid);
      touch(entry);
      const effect = await applyResult(db, entry, result, res.serverTime);
      if (effect === 'conflict') conflicts++;
      if (effect === 'rejected') rejected++;
    }
    for (const entry of acked) {
      if (handled.has(entry.mid)) continue;
      // Acknowledged without a result: it took effect, at a version we do not know.
      touch(entry);
      await applyResult(db, entry, null, res.serverTime);
    }
    await db.outbox.bulkDelete(acked.map((e) => e.mid));

    let nextMid = token ? Math.max(state.nextMid, res.lastMid + 1) : state.nextMid;
    if (res.gap && token) nextMid = await renumberOutbox(db, res.lastMid, nextMid);

    for (const ref of await applyChanges(db, res.changes)) touch(ref);
    for (const ref of touched.values()) await rebuildRecord(db, ref.collection, ref.recordId);

    await writeSyncState(db, {
      ...state,
      nextMid,
      epoch: res.epoch,
      // The server sends only cursors that moved or that the device did not know.
      cursors: { ...(res.reset ? {} : state.cursors), ...res.cursors },
      scopeIds: { ...(res.reset ? {} : state.scopeIds), ...res.scopeIds },
      lastSuccessAt: new Date().toISOString(),
      lastError: null,
      // An anonymous pull says nothing about a revoked or unknown token.
      authProblem: token ? null : (state.authProblem ?? null),
    });
    return {
      acknowledged: acked.length,
      received: res.changes.length,
      conflicts,
      rejected,
      reset: res.reset,
      gap: res.gap,
    };
  });
}

type ResultEffect = 'ok' | 'conflict' | 'rejected';

/** Moves the record's server copy forward by one acknowledged entry. */
async function applyResult(
  db: VakaDatabase,
  entry: OutboxEntry,
  result: MutationResult | null,
  stamp: string,
): Promise<ResultEffect> {
  const key = serverCopyKey(entry.collection, entry.recordId);
  // Writes always save a copy; the local record is the fallback for outboxes from before there were copies.
  const copy = (await db.serverCopies.get(key)) ?? {
    key,
    collection: entry.collection,
    recordId: entry.recordId,
    record: (await recordTable(db, entry.collection).get(entry.recordId)) ?? null,
  };
  let effect: ResultEffect = 'ok';
  if (result === null || result.status === 'applied') {
    const next = applyEntry(copy.record, entry, stamp);
    copy.record = next && result ? { ...next, _version: result.version } : next;
  } else if (result.status === 'merged') {
    if (result.record) {
      copy.record = {
        ...result.record,
        id: entry.recordId,
        _version: result.version,
        _deleted: false,
        _updatedAt: stamp,
      };
    } else {
      const next = applyEntry(copy.record, entry, stamp);
      copy.record = next && { ...next, _version: result.version };
    }
    if (result.conflicts.length > 0) {
      await db.conflicts.add({
        collection: entry.collection,
        recordId: entry.recordId,
        conflicts: result.conflicts,
        at: stamp,
        seen: false,
      });
      effect = 'conflict';
    }
  } else {
    // The server keeps its copy; what the participant typed goes to the rejection log, not nowhere.
    await db.rejections.add({
      mid: entry.mid,
      collection: entry.collection,
      recordId: entry.recordId,
      op: entry.op,
      fields: entry.op === 'delete' ? null : entry.fields,
      code: result.code,
      message: result.message,
      at: stamp,
      seen: false,
    });
    effect = 'rejected';
  }
  await db.serverCopies.put(copy);
  return effect;
}

function fromChange(change: Change, previous: AnyStored | null): AnyStored | null {
  if (change.deleted || change.data === null) {
    return previous ? { ...previous, _deleted: true, _version: change.version, _updatedAt: change.updatedAt } : null;
  }
  return { ...change.data, id: change.id, _version: change.version, _deleted: false, _updatedAt: change.updatedAt };
}

/**
 * Stores a page of pulled changes. A record with queued edits gets the change
 * in its server copy (returned: rebuild it); others are written directly.
 * Older versions than the device holds are ignored: an acknowledged write may
 * already be newer. Reads and writes go in bulk, a few IndexedDB requests per
 * collection instead of three per change: a 1,000-session page on an old
 * phone is otherwise seconds of work.
 */
async function applyChanges(db: VakaDatabase, changes: Change[]): Promise<RecordRef[]> {
  if (changes.length === 0) return [];
  const keys = [...new Set(changes.map((c) => serverCopyKey(c.collection, c.id)))];
  const copies = new Map<string, ServerCopy>();
  for (const copy of await db.serverCopies.bulkGet(keys)) if (copy) copies.set(copy.key, copy);

  const direct = new Map<CollectionName, Change[]>();
  const copiesChanged = new Set<string>();
  const rebuild: RecordRef[] = [];
  for (const change of changes) {
    const key = serverCopyKey(change.collection, change.id);
    const copy = copies.get(key);
    if (!copy) {
      const list = direct.get(change.collection) ?? [];
      list.push(change);
      direct.set(change.collection, list);
      continue;
    }
    if (copy.record && copy.record._version > change.version) continue;
    copies.set(key, { ...copy, record: fromChange(change, copy.record) });
    copiesChanged.add(key);
    rebuild.push({ collection: change.collection, recordId: change.id });
  }
  if (copiesChanged.size > 0) {
    await db.serverCopies.bulkPut([...copiesChanged].map((key) => copies.get(key)).filter((c) => c !== undefined));
  }

  for (const [collection, list] of direct) {
    const table = recordTable(db, collection);
    const ids = [...new Set(list.map((c) => c.id))];
    const current = new Map<string, AnyStored>();
    for (const row of await table.bulkGet(ids)) if (row) current.set(row.id, row);
    const written = new Set<string>();
    for (const change of list) {
      const local = current.get(change.id);
      if (local && local._version > change.version) continue;
      const next = fromChange(change, local ?? null);
      if (!next) continue;
      current.set(change.id, next);
      written.add(change.id);
    }
    if (written.size > 0) {
      await table.bulkPut([...written].map((id) => current.get(id)).filter((r) => r !== undefined));
    }
  }
  return rebuild;
}

/**
 * After a reset: drop every synced record except those with queued edits.
 * Their server copies are from the old epoch, so their versions go to 0 and
 * the snapshot replaces them. Returns the kept records, to be rebuilt.
 */
async function dropSyncedData(db: VakaDatabase): Promise<RecordRef[]> {
  const pending = await db.outbox.toArray();
  const keep = new Set(pending.map((e) => serverCopyKey(e.collection, e.recordId)));
  for (const collection of CollectionName.options) {
    const table = recordTable(db, collection);
    const ids = await table.toCollection().primaryKeys();
    await table.bulkDelete(ids.filter((id) => !keep.has(serverCopyKey(collection, id))));
  }
  const kept: RecordRef[] = [];
  for (const copy of await db.serverCopies.toArray()) {
    if (!keep.has(copy.key)) {
      await db.serverCopies.delete(copy.key);
      continue;
    }
    kept.push({ collection: copy.collection, recordId: copy.recordId });
    if (copy.record) await db.serverCopies.put({ ...copy, record: { ...copy.record, _version: 0 } });
  }
  return kept;
}

/**
 * The server stopped at a gap: it has processed nothing above lastMid, but
 * the outbox starts higher (the server was restored from a backup, or this is
 * a new enrolment). Renumbering from lastMid + 1 is safe because no mid above
 * lastMid has been seen by the server. Returns the next mid to hand out.
 */
async function renumberOutbox(db: VakaDatabase, lastMid: number, nextMid: number): Promise<number> {
  const entries = await db.outbox.orderBy('mid').toArray();
  const first = entries[0];
  if (!first) return lastMid + 1;
  if (first.mid <= lastMid + 1) return nextMid;
  await db.outbox.bulkDelete(entries.map((e) => e.mid));
  await db.outbox.bulkAdd(entries.map((e, i) => ({ ...e, mid: lastMid + 1 + i })));
  return lastMid + 1 + entries.length;
}
