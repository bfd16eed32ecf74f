/**
 * The sync engine: one full exchange with POST /api/v1/sync
 * (docs/sync-protocol.md). Each round sends the oldest outbox entries with
 * the pull cursors and stores the answer in one Dexie transaction
 * (apply-response.ts). A crash at any point leaves the device either before
 * or after a round, never between, and resending a round the server already
 * committed is harmless: it answers replays from its stored results [I2].
 * Failed answers become typed errors (errors.ts).
 *
 * No window or DOM here: the service worker runs this same code on
 * Background Sync, so it only uses Dexie, fetch (through the transport) and
 * navigator.locks.
 */
import {
  PROTOCOL_VERSION,
  SyncResponse,
  type Mutation,
  type RequestCursors,
  type SyncRequest,
} from '../../shared/sync/protocol';
import {
  getDb,
  readDeviceIdentity,
  readSyncState,
  writeSyncState,
  type OutboxEntry,
  type SyncState,
  type VakaDatabase,
} from '../db/database';
import { markUnauthorized, wipeParticipantData } from '../db/wipe';
import { applyResponse } from './apply-response';
import {
  SyncAuthError,
  SyncError,
  SyncFailedError,
  SyncTransientError,
  asSyncError,
  errorFromResponse,
} from './errors';
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

async function failFromStatus(db: VakaDatabase, response: SyncTransportResponse, token: string | null): Promise<never> {
  const failure = errorFromResponse(response, token !== null);
  // A refused token: a revoked device forgets its participant's data [I7]; an unknown one waits for a new enrolment.
  if (failure instanceof SyncAuthError && token !== null) {
    if (failure.reason === 'revoked') await wipeParticipantData(db, 'revoked', token);
    else await markUnauthorized(db);
  }
  throw failure;
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
