/**
 * The sync engine: one full exchange with POST /api/v1/sync. Each round sends
 * the oldest outbox entries with the pull cursors and stores the answer in a
 * single Dexie transaction: acknowledged entries leave the outbox, merges and
 * rejections are logged for the participant, pulled changes land, queued
 * edits are replayed on top, and the new cursors are saved with them. A
 * crash at any point leaves the device either before or after a round, never
 * between, and resending a round the server already committed is harmless
 * (it answers replays from its stored results).
 *
 * No window or DOM here: the service worker runs this same code on
 * Background Sync, so it only uses Dexie, fetch (through the transport) and
 * navigator.locks.
 */
import { CollectionName } from '../../shared/schemas/collections';
import {
  PROTOCOL_VERSION,
  SyncResponse,
  type Change,
  type Mutation,
  type MutationResult,
  type RequestCursors,
  type SyncRequest,
} from '../../shared/sync/protocol';
import {
  getDb,
  readDeviceIdentity,
  readSyncState,
  serverCopyKey,
  writeSyncState,
  type AnyStored,
  type OutboxEntry,
  type ServerCopy,
  type SyncState,
  type VakaDatabase,
} from '../db/database';
import { applyEntry, rebuildRecord, recordTable } from '../db/replay';
import { markUnauthorized, wipeParticipantData } from '../db/wipe';
import { SyncAuthError, SyncError, SyncFailedError, SyncOutdatedError, SyncTransientError } from './errors';
import { defaultLocks, withSyncLock, type LockMode } from './lock';
import { fetchTransport, type SyncTransport, type SyncTransportResponse } from './transport';

export const SYNC_PATH = '/api/v1/sync';

export interface SyncOptions {
  /** Prefix of the API URL; '' for the page's own origin. */
  baseUrl?: string;
  /** Outbox entries per request. */
  batchSize?: number;
  /** Upper bound on requests in one sync, so a huge backlog cannot hold the lock forever; the scheduler comes back. */
  maxRounds?: number;
  /** Ask the server for smaller pages (metered links). */
  maxBytes?: number;
  /** Default 'ifAvailable': when another tab or the service worker is syncing, this call does nothing. */
  lock?: LockMode;
  /** Injected in tests; defaults to navigator.locks. */
  locks?: LockManager | null;
}

export interface SyncOutcome {
  /** Another context held the sync lock, so nothing was done. */
  skipped: boolean;
  rounds: number;
  /** Mutations sent, counting resends. */
  sent: number;
  /** Outbox entries the server acknowledged (and that were removed). */
  acknowledged: number;
  /** Changes pulled. */
  received: number;
  conflicts: number;
  rejected: number;
  reset: boolean;
  /** False when maxRounds ran out with more to send or pull. */
  complete: boolean;
}

const EMPTY_OUTCOME: SyncOutcome = {
  skipped: false,
  rounds: 0,
  sent: 0,
  acknowledged: 0,
  received: 0,
  conflicts: 0,
  rejected: 0,
  reset: false,
  complete: false,
};

/** Consecutive gap answers tolerated before giving up: one renumbering should always fix a gap. */
const MAX_GAPS = 3;

/**
 * Runs one full sync: rounds while the server has more or the outbox had a
 * full batch, up to maxRounds. Throws a SyncError (see errors.ts); the
 * failure is also recorded in the meta 'sync' row for the status display.
 */
export async function syncOnce(
  db: VakaDatabase = getDb(),
  transport: SyncTransport = fetchTransport,
  options: SyncOptions = {},
): Promise<SyncOutcome> {
  const locks = options.locks === undefined ? defaultLocks() : options.locks;
  const result = await withSyncLock(options.lock ?? 'ifAvailable', locks, () => runSync(db, transport, options));
  return result.ran ? result.value : { ...EMPTY_OUTCOME, skipped: true };
}

async function runSync(db: VakaDatabase, transport: SyncTransport, options: SyncOptions): Promise<SyncOutcome> {
  const outcome = { ...EMPTY_OUTCOME };
  const maxRounds = options.maxRounds ?? 20;
  let batchSize = Math.min(options.batchSize ?? 500, 2000);
  let gaps = 0;
  try {
    while (outcome.rounds < maxRounds) {
      outcome.rounds++;
      const round = await runRound(db, transport, options, batchSize);
      if (round === 'too-large') {
        batchSize = Math.max(1, Math.floor(batchSize / 2));
        continue;
      }
      outcome.sent += round.sent;
      outcome.acknowledged += round.acknowledged;
      outcome.received += round.received;
      outcome.conflicts += round.conflicts;
      outcome.rejected += round.rejected;
      outcome.reset ||= round.reset;
      if (round.gap) {
        if (++gaps > MAX_GAPS)
          throw new SyncFailedError('sync.error.server', 'The server keeps reporting a gap in mutation ids', false);
        continue;
      }
      gaps = 0;
      if (!round.more) {
        outcome.complete = true;
        break;
      }
    }
  } catch (error) {
    const failure = asSyncError(error);
    await recordFailure(db, failure);
    throw failure;
  }
  return outcome;
}

interface RoundSummary {
  sent: number;
  acknowledged: number;
  received: number;
  conflicts: number;
  rejected: number;
  reset: boolean;
  gap: boolean;
  more: boolean;
}

/** Exactly the wire fields: local bookkeeping such as queuedAt stays on the device. */
function toMutation(entry: OutboxEntry): Mutation {
  switch (entry.op) {
    case 'create':
      return {
        mid: entry.mid,
        op: 'create',
        collection: entry.collection,
        recordId: entry.recordId,
        fields: entry.fields,
      };
    case 'patch':
      return {
        mid: entry.mid,
        op: 'patch',
        collection: entry.collection,
        recordId: entry.recordId,
        baseVersion: entry.baseVersion,
        fields: entry.fields,
      };
    case 'delete':
      return {
        mid: entry.mid,
        op: 'delete',
        collection: entry.collection,
        recordId: entry.recordId,
        baseVersion: entry.baseVersion,
      };
  }
}

/** Cursors under the short ids the server gave their scopes, so an idle sync stays small. */
function requestCursors(state: SyncState): RequestCursors {
  return Object.fromEntries(
    Object.entries(state.cursors).map(([scope, seq]) => [String(state.scopeIds?.[scope] ?? scope), seq]),
  );
}

async function runRound(
  db: VakaDatabase,
  transport: SyncTransport,
  options: SyncOptions,
  batchSize: number,
): Promise<RoundSummary | 'too-large'> {
  const { state, identity, queued } = await db.transaction('r', [db.meta, db.outbox], async () => {
    const identity = await readDeviceIdentity(db);
    return {
      state: await readSyncState(db),
      identity,
      // Without a token the server refuses any mutation, so an unenrolled device only pulls.
      // One entry more than is sent tells whether another round is needed, without an empty request.
      queued: identity
        ? await db.outbox
            .orderBy('mid')
            .limit(batchSize + 1)
            .toArray()
        : [],
    };
  });
  const entries = queued.slice(0, batchSize);
  const token = identity?.deviceToken ?? null;
  const body: SyncRequest = {
    protocol: PROTOCOL_VERSION,
    epoch: state.epoch,
    cursors: requestCursors(state),
    mutations: entries.map(toMutation),
  };
  if (options.maxBytes !== undefined) body.maxBytes = options.maxBytes;

  let response: SyncTransportResponse;
  try {
    response = await transport({ url: `${options.baseUrl ?? ''}${SYNC_PATH}`, body, token });
  } catch (cause) {
    throw new SyncTransientError('sync.error.offline', 'No answer from the server', null, null, { cause });
  }
  if (response.status === 413 && entries.length > 1) return 'too-large';
  if (response.status !== 200) return failFromStatus(db, response, token);

  const parsed = SyncResponse.safeParse(response.body);
  if (!parsed.success) {
    throw new SyncFailedError('sync.error.server', `Unreadable sync response: ${parsed.error.message}`, false, 200);
  }
  const summary = await applyResponse(db, parsed.data, token);
  if (summary === 'stale') {
    // The device was wiped or enrolled again while the request was out: the answer belongs to the old identity.
    return {
      sent: entries.length,
      acknowledged: 0,
      received: 0,
      conflicts: 0,
      rejected: 0,
      reset: false,
      gap: false,
      more: true,
    };
  }
  const moreQueued = queued.length > entries.length && summary.acknowledged > 0;
  return { ...summary, sent: entries.length, more: parsed.data.hasMore || moreQueued };
}

function errorCodeOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  return typeof body.error === 'string' ? body.error : null;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function failFromStatus(db: VakaDatabase, response: SyncTransportResponse, token: string | null): Promise<never> {
  const { status } = response;
  const code = errorCodeOf(response.body);
  if (status === 401 && token !== null) {
    if (code === 'revoked') {
      await wipeParticipantData(db, 'revoked', token);
      throw new SyncAuthError('revoked');
    }
    await markUnauthorized(db);
    throw new SyncAuthError('unauthorized');
  }
  if (status === 426) throw new SyncOutdatedError();
  if (status === 408 || status === 429 || status >= 500) {
    throw new SyncTransientError(
      'sync.error.server',
      `HTTP ${status}${code ? ` ${code}` : ''}`,
      status,
      parseRetryAfter(response.headers['retry-after']),
    );
  }
  throw new SyncFailedError('sync.error.server', `HTTP ${status}${code ? ` ${code}` : ''}`, false, status);
}

function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  const name = error instanceof Error ? error.name : '';
  const inner = error instanceof Error && 'inner' in error && error.inner instanceof Error ? error.inner.name : '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return new SyncFailedError('sync.error.storage', 'The device is out of storage space', false, null, {
      cause: error,
    });
  }
  return new SyncFailedError('sync.error.server', error instanceof Error ? error.message : String(error), false, null, {
    cause: error,
  });
}

async function recordFailure(db: VakaDatabase, failure: SyncError): Promise<void> {
  try {
    await db.transaction('rw', db.meta, async () => {
      const state = await readSyncState(db);
      await writeSyncState(db, { ...state, lastError: failure.key, lastErrorAt: new Date().toISOString() });
    });
  } catch {
    // The status line is a nicety; the caller still gets the real error.
  }
}

interface ApplySummary {
  acknowledged: number;
  received: number;
  conflicts: number;
  rejected: number;
  reset: boolean;
  gap: boolean;
}

type RecordRef = { collection: CollectionName; recordId: string };

/** Stores one response; everything in one transaction so the page and its cursor commit together. */
async function applyResponse(
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
