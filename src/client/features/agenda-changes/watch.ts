/**
 * Records the agenda and material versions of workshops the participant has
 * not opened yet, each time a sync finishes, so that a session moved by a
 * later sync is highlighted even on a workshop first opened after it.
 * Started lazily by the app shell; it never runs in the first-screen chunk.
 */
import { getDb } from '../../../device/db/database';
import { getSyncStatusStore } from '../../../device/sync/status';
import { baselineAll } from './seen-store';

let started = false;

export function watchAgendaBaselines(): void {
  if (started) return;
  started = true;
  const store = getSyncStatusStore();
  let lastSeen: string | null = null;
  let running = false;
  const check = () => {
    const status = store.getSnapshot();
    // Wait for the whole sync: an agenda split across pages must not be half-baselined.
    if (!status.loaded || status.syncing || status.lastSuccessAt === lastSeen || running) return;
    lastSeen = status.lastSuccessAt;
    running = true;
    void baselineAll(getDb())
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };
  store.subscribe(check);
  check();
}
