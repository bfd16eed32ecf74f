/**
 * Background Sync (Chromium only): when the page registered the 'vaka-sync'
 * tag while offline, the browser wakes this worker once the connection is
 * back, even if Vaka is closed, and we drain the outbox and pull changes.
 * Firefox and Safari never fire this; the page's scheduler covers them.
 *
 * The sync engine lives in src/device (no DOM, no React), so the worker and
 * the page run the very same code against the same IndexedDB. The engine's
 * Web Lock keeps a page and the worker from sending the same outbox twice.
 */
import { syncOnce } from '../device/sync/engine';
import { SyncError } from '../device/sync/errors';

export const SYNC_TAG = 'vaka-sync';

/** The Background Sync event; TypeScript's WebWorker lib does not declare it. */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
  readonly lastChance: boolean;
}

export function registerBackgroundSync(scope: ServiceWorkerGlobalScope): void {
  scope.addEventListener('sync', (event) => {
    const syncEvent = event as SyncEvent;
    if (syncEvent.tag !== SYNC_TAG) return;
    // A rejected promise tells the browser to retry later with its own
    // backoff; a resolved one (including "offline, nothing sent") ends it.
    syncEvent.waitUntil(runSync());
  });
}

async function runSync(): Promise<void> {
  try {
    // Skips by itself when an open tab already holds the sync lock.
    await syncOnce();
  } catch (error) {
    // Retrying cannot fix an outdated app, a server that needs an update or a
    // revoked device; the page shows those. Anything else goes back to the
    // browser for a retry.
    if (error instanceof SyncError && !error.transient) return;
    throw error;
  }
}
