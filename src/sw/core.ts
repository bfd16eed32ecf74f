/**
 * The service worker's code: the precache, the routes, the update handshake
 * and Background Sync with the device's sync engine. Built on its own into
 * assets/sw-core-<hash>.js (vite.config.ts, `workerCore()`), which sw.js
 * loads with importScripts: its name and bytes change only when this code
 * or what it imports changes, while sw.js, which changes with every release
 * because it carries the precache list, stays a few kilobytes.
 *
 * Updates wait for the participant: a new worker installs, then waits until
 * the page posts {type: 'SKIP_WAITING'} (the "Reload" button), so nobody
 * loses a half-typed answer to a surprise reload.
 */
/// <reference lib="WebWorker" />
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { registerBackgroundSync } from './background-sync';
import { registerPush } from './push';

/** What sw.js calls once the core is loaded; the precache list is sw.js's, injected at build time. */
export function start(scope: ServiceWorkerGlobalScope, precache: (string | PrecacheEntry)[]): void {
  precacheAndRoute(precache);
  cleanupOutdatedCaches();

  // /api/ answers must reach the server (or fail, so the sync engine retries);
  // a stale index.html in their place would be parsed as data.
  registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }));

  // Coordinator-only chunks and the other languages' strings stay out of the
  // precache (a participant needs neither); hashed names make them immutable,
  // so cache-first after one visit keeps them offline too.
  registerRoute(
    ({ url }) => url.pathname.startsWith('/assets/coordinator/'),
    new CacheFirst({ cacheName: 'vaka-coordinator' }),
  );
  registerRoute(
    ({ url }) => url.pathname.startsWith('/assets/locales/'),
    new CacheFirst({ cacheName: 'vaka-locales' }),
  );

  // A first install takes control of the open page at once, so the very first
  // visit is already offline-capable. Later versions only activate after
  // SKIP_WAITING, and the page reloads itself only then.
  clientsClaim();

  scope.addEventListener('message', (event: ExtendableMessageEvent) => {
    const data: unknown = event.data;
    if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
      void scope.skipWaiting();
    }
  });

  registerBackgroundSync(scope);
  registerPush(scope);
}
