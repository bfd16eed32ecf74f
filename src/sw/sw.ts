/**
 * Vaka's service worker: keeps the app shell, every screen and every
 * language in the precache so the app opens with no network, answers deep
 * links (/workshops/…) with index.html, and runs a sync when Chromium's
 * Background Sync wakes it. Data never lives here: screens read IndexedDB.
 *
 * Updates wait for the participant: a new worker installs, then waits until
 * the page posts {type: 'SKIP_WAITING'} (the "Reload" button), so nobody
 * loses a half-typed answer to a surprise reload.
 */
/// <reference lib="WebWorker" />
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { registerBackgroundSync } from './background-sync';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// /api/ answers must reach the server (or fail, so the sync engine retries);
// a stale index.html in their place would be parsed as data.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }));

// Coordinator-only chunks stay out of the precache (participants never need
// them); hashed names make them immutable, so cache-first after one visit.
registerRoute(
  ({ url }) => url.pathname.startsWith('/assets/coordinator/'),
  new CacheFirst({ cacheName: 'vaka-coordinator' }),
);

// A first install takes control of the open page at once, so the very first
// visit is already offline-capable. Later versions only activate after
// SKIP_WAITING, and the page reloads itself only then.
clientsClaim();

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});

registerBackgroundSync(self);
