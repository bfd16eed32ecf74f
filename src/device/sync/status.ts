/**
 * What the UI shows about sync ("2 waiting to send · last sent 10:42"), as a
 * React-free observable. Most of it is read live from IndexedDB, so it is
 * right in every tab and after a sync the service worker ran; the scheduler
 * adds what only the running page knows (syncing now, next attempt).
 *
 * "Waiting" counts records, not outbox entries: every autosave of a draft
 * queues an edit, and a participant who logged one action and filled one
 * survey has two things to send, however many edits that took.
 *
 * Kept apart from the scheduler and engine so the header can show status
 * without pulling the sync code into the first chunk.
 */
import { liveQuery } from 'dexie';
import { getDb, readDeviceIdentity, readSyncState, serverCopyKey, type VakaDatabase } from '../db/database';
import { isSyncErrorKey, type SyncErrorKey } from './errors';

export interface SyncStatus {
  /** False until the first read from IndexedDB. */
  loaded: boolean;
  /** Records with edits waiting in the outbox (distinct collection and id), not the edits themselves. */
  pending: number;
  /** The newest outbox entry's mid: it grows with every queued edit, so a watcher sees writes from any tab. */
  lastQueuedMid: number | null;
  /** When the oldest waiting entry was saved, to warn when records have waited long. */
  oldestPendingAt: string | null;
  syncing: boolean;
  lastSuccessAt: string | null;
  /** i18n key of the last problem; null once a sync succeeds. */
  error: SyncErrorKey | null;
  lastErrorAt: string | null;
  /** The server needs a newer app: syncing stops until the page reloads. */
  outdated: boolean;
  enrolled: boolean;
  participantId: string | null;
  /** Why the server refused the device token, until the participant enrols again. */
  authProblem: 'revoked' | 'unauthorized' | null;
  unseenConflicts: number;
  unseenRejections: number;
  /** Epoch milliseconds of the next scheduled attempt, if any. */
  nextAttemptAt: number | null;
}

export const INITIAL_SYNC_STATUS: SyncStatus = {
  loaded: false,
  pending: 0,
  lastQueuedMid: null,
  oldestPendingAt: null,
  syncing: false,
  lastSuccessAt: null,
  error: null,
  lastErrorAt: null,
  outdated: false,
  enrolled: false,
  participantId: null,
  authProblem: null,
  unseenConflicts: 0,
  unseenRejections: 0,
  nextAttemptAt: null,
};

/** The parts only the running scheduler knows. */
export type RuntimeStatus = Pick<SyncStatus, 'syncing' | 'outdated' | 'nextAttemptAt'>;

export interface SyncStatusStore {
  getSnapshot(): SyncStatus;
  /** The first subscriber starts watching IndexedDB; the last one to leave stops it. */
  subscribe(listener: () => void): () => void;
  update(patch: Partial<RuntimeStatus>): void;
}

type StoredStatus = Omit<SyncStatus, keyof RuntimeStatus>;

async function countWaitingRecords(db: VakaDatabase): Promise<number> {
  const records = new Set<string>();
  await db.outbox.each((entry) => records.add(serverCopyKey(entry.collection, entry.recordId)));
  return records.size;
}

async function readStoredStatus(db: VakaDatabase): Promise<StoredStatus> {
  return db.transaction('r', [db.outbox, db.meta, db.conflicts, db.rejections], async () => {
    const [pending, newest, oldest, state, identity, unseenConflicts, unseenRejections] = await Promise.all([
      countWaitingRecords(db),
      db.outbox.orderBy('mid').last(),
      db.outbox.orderBy('mid').first(),
      readSyncState(db),
      readDeviceIdentity(db),
      db.conflicts.filter((c) => !c.seen).count(),
      db.rejections.filter((r) => !r.seen).count(),
    ]);
    return {
      loaded: true,
      pending,
      lastQueuedMid: newest?.mid ?? null,
      oldestPendingAt: oldest?.queuedAt ?? null,
      lastSuccessAt: state.lastSuccessAt,
      error: isSyncErrorKey(state.lastError) ? state.lastError : null,
      lastErrorAt: state.lastErrorAt,
      enrolled: identity !== null,
      participantId: identity?.participantId ?? null,
      authProblem: state.authProblem ?? null,
      unseenConflicts,
      unseenRejections,
    };
  });
}

function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (Object.keys(a) as (keyof SyncStatus)[]).every((k) => a[k] === b[k]);
}

export function createSyncStatusStore(db: VakaDatabase): SyncStatusStore {
  let status = INITIAL_SYNC_STATUS;
  const listeners = new Set<() => void>();
  let subscription: { unsubscribe(): void } | null = null;

  // useSyncExternalStore needs the same object until something changed.
  const emit = (next: SyncStatus) => {
    if (sameStatus(status, next)) return;
    status = next;
    for (const listener of [...listeners]) listener();
  };

  return {
    getSnapshot: () => status,
    subscribe(listener) {
      listeners.add(listener);
      subscription ??= liveQuery(() => readStoredStatus(db)).subscribe({
        next: (stored) => emit({ ...status, ...stored }),
        error: () => undefined,
      });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && subscription) {
          subscription.unsubscribe();
          subscription = null;
        }
      };
    },
    update(patch) {
      emit({ ...status, ...patch });
    },
  };
}

let shared: SyncStatusStore | null = null;

/** The app's status store, on the app's database. */
export function getSyncStatusStore(): SyncStatusStore {
  shared ??= createSyncStatusStore(getDb());
  return shared;
}
