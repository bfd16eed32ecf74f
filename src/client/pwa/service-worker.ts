/**
 * Registers /sw.js with workbox-window and exposes "a new version is
 * waiting" to the update banner. The page never reloads by itself: only the
 * participant's tap posts SKIP_WAITING, and the reload follows once the new
 * worker controls the page. Reloading mid-survey would lose typing.
 */
import { useSyncExternalStore } from 'react';
import type { Workbox } from 'workbox-window';

export type UpdateState = 'none' | 'waiting' | 'external';

let wb: Workbox | null = null;
let state: UpdateState = 'none';
let reloadRequested = false;
const listeners = new Set<() => void>();

function setState(next: UpdateState): void {
  state = next;
  for (const listener of listeners) listener();
}

/**
 * Registers once the page has loaded and the browser is idle (the first
 * screen has rendered its list), so neither workbox-window (a lazy chunk,
 * kept out of the first-screen budget) nor the precache download competes
 * with the first screen on a slow link. The chosen language's strings are
 * cached then too (./language-cache).
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  const register = () => {
    void Promise.all([import('workbox-window'), import('./language-cache')])
      .then(([{ Workbox: WorkboxClass }, { keepLanguageOffline }]) => {
        const workbox = new WorkboxClass('/sw.js', { scope: '/' });
        wb = workbox;
        workbox.addEventListener('waiting', () => setState('waiting'));
        workbox.addEventListener('controlling', (event) => {
          if (reloadRequested) {
            window.location.reload();
            return;
          }
          // Another tab accepted an update: this tab's old lazy chunks are
          // gone from the cache, so offer the reload here too rather than
          // fail later.
          if (event.isExternal) setState('external');
        });
        return workbox.register({ immediate: true }).then(keepLanguageOffline);
      })
      .catch(() => undefined);
  };
  // Safari has no requestIdleCallback: a short timeout after load does the same there.
  const whenIdle = () =>
    'requestIdleCallback' in window ? requestIdleCallback(register, { timeout: 5000 }) : setTimeout(register, 500);
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}

export function applyUpdate(): void {
  if (state === 'external' || !wb) {
    window.location.reload();
    return;
  }
  reloadRequested = true;
  wb.messageSkipWaiting();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useUpdateState(): UpdateState {
  return useSyncExternalStore(subscribe, () => state);
}
