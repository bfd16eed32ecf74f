/**
 * React hook over the sync status store, for the header pill and the
 * settings screen. Imports only the store, not the engine, so it is cheap to
 * use on the first screen.
 */
import { useSyncExternalStore } from 'react';
import { getSyncStatusStore, type SyncStatus, type SyncStatusStore } from '../../device/sync/status';

export type { SyncStatus };

export function useSyncStatus(store: SyncStatusStore = getSyncStatusStore()): SyncStatus {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
