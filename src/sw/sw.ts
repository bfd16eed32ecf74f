/**
 * Vaka's service worker: keeps the app shell, every screen and the chosen
 * language in the precache so the app opens with no network, answers deep
 * links (/workshops/…) with index.html, and runs a sync when Chromium's
 * Background Sync wakes it. Data never lives here: screens read IndexedDB.
 *
 * This file is only the precache list (injected at build time, so it
 * changes with every release) and a loader: the code lives in
 * assets/sw-core-<hash>.js (./core.ts), which is listed in the precache
 * and only renamed when it changes, so a release costs phones its list and
 * its changed files, not the sync engine again.
 */
/// <reference lib="WebWorker" />
import type { PrecacheEntry } from 'workbox-precaching';
import type { start } from './core';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | PrecacheEntry)[];
  /** Set by the core script (an IIFE named in vite.config.ts). */
  vakaWorkerCore?: { start: typeof start };
};

const precache = self.__WB_MANIFEST;
const core = precache
  .map((entry) => (typeof entry === 'string' ? entry : entry.url))
  .find((url) => /^assets\/sw-core-[\w-]+\.js$/.test(url));
if (!core) throw new Error('the precache list names no service worker core');
// Event handlers must be registered during this first evaluation: load the core synchronously.
importScripts(core);
if (!self.vakaWorkerCore) throw new Error(`${core} did not define the service worker core`);
self.vakaWorkerCore.start(self, precache);
