/**
 * Decides when the page syncs. Background Sync exists only in Chromium, and
 * comparable tools are known for not syncing when the connection comes back,
 * so the page syncs on its own: when the app opens, when the browser says it
 * is online again, when the tab becomes visible (and once more when it is
 * hidden, the last moment a phone reliably lets a page send), a couple of
 * seconds after each local write, and on a timer — every minute while
 * visible, with exponential backoff and full jitter after failures so a
 * returning satellite link is not hit by every phone at once.
 *
 * Only one tab (or the service worker) syncs at a time: the engine takes a
 * Web Lock and a tab that finds it taken just waits for its next turn.
 *
 * Two answers end the usual rhythm (docs/sync-protocol.md, "Versions"): an
 * app too old for the server stops syncing until the page reloads; a server
 * too old for the app is looked at again only once an hour (or when the
 * participant asks), since no retry helps until its operators update it.
 */
import { getDb, type VakaDatabase } from '../../device/db/database';
import { syncOnce, type SyncOptions, type SyncOutcome } from '../../device/sync/engine';
import { SyncOutdatedError, SyncServerOutdatedError, SyncTransientError } from '../../device/sync/errors';
import {
  getSyncStatusStore,
  createSyncStatusStore,
  type SyncStatus,
  type SyncStatusStore,
} from '../../device/sync/status';
import { fetchTransport, type SyncTransport } from '../../device/sync/transport';

export const BACKGROUND_SYNC_TAG = 'vaka-sync';

/** How long to wait before asking a server that answered "server_outdated" again. */
export const SERVER_OUTDATED_RECHECK_MS = 3_600_000;

/** Opaque: browsers use numbers, Node and test clocks use objects. */
type TimerHandle = unknown;

/** Everything the scheduler needs from the browser, injectable for tests. */
export interface SchedulerEnv {
  /** Receives 'online' (window). */
  events: EventTarget | null;
  /** Receives 'visibilitychange' (document). */
  visibilityTarget: EventTarget | null;
  isVisible(): boolean;
  registerBackgroundSync(): Promise<void>;
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  random(): number;
  now(): number;
}

interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** Background Sync, where the browser has it (Chromium) and a service worker is registered. */
async function registerBackgroundSync(): Promise<void> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  // getRegistration, not ready: ready never settles when no worker is registered (dev server).
  const registration = (await navigator.serviceWorker.getRegistration()) as
    (ServiceWorkerRegistration & SyncRegistration) | undefined;
  await registration?.sync?.register(BACKGROUND_SYNC_TAG);
}

export function browserEnv(): SchedulerEnv {
  return {
    events: typeof window !== 'undefined' ? window : null,
    visibilityTarget: typeof document !== 'undefined' ? document : null,
    isVisible: () => typeof document === 'undefined' || document.visibilityState === 'visible',
    registerBackgroundSync,
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: Math.random,
    now: Date.now,
  };
}

export interface SchedulerOptions {
  db?: VakaDatabase;
  transport?: SyncTransport;
  syncOptions?: SyncOptions;
  /** Replaces the engine call (tests). */
  runSync?: () => Promise<SyncOutcome>;
  store?: SyncStatusStore;
  env?: Partial<SchedulerEnv>;
  /** Between syncs while the app is visible and healthy. */
  intervalMs?: number;
  /** Wait after a local write, so a burst of edits goes in one request. */
  debounceMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export type SyncReason =
  'open' | 'online' | 'visible' | 'hidden' | 'write' | 'timer' | 'retry' | 'manual' | 'enrolled' | 'more';

export interface SyncScheduler {
  start(): void;
  stop(): void;
  /** Syncs now (or right after the sync in progress); resolves when done, never rejects. */
  syncNow(reason?: SyncReason): Promise<void>;
  /** Call after a local write; the scheduler also notices outbox growth by itself. */
  notifyLocalWrite(): void;
  getStatus(): SyncStatus;
  subscribe(listener: () => void): () => void;
  /** Consecutive failures so far (for tests and diagnostics). */
  readonly failures: number;
}

/** Full jitter: a random delay between 0 and the exponential ceiling, so clients spread out. */
export function backoffDelay(failures: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.max(1000, Math.floor(random() * ceiling));
}

export function createSyncScheduler(options: SchedulerOptions = {}): SyncScheduler {
  const env: SchedulerEnv = { ...browserEnv(), ...options.env };
  const db = options.db ?? getDb();
  const store = options.store ?? (options.db ? createSyncStatusStore(db) : getSyncStatusStore());
  const transport = options.transport ?? fetchTransport;
  const runSync = options.runSync ?? (() => syncOnce(db, transport, options.syncOptions));
  const intervalMs = options.intervalMs ?? 60_000;
  const debounceMs = options.debounceMs ?? 2_000;
  const backoffBaseMs = options.backoffBaseMs ?? 5_000;
  const backoffCapMs = options.backoffCapMs ?? 300_000;

  let started = false;
  let outdated = false;
  let failures = 0;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: TimerHandle | null = null;
  let debounce: TimerHandle | null = null;
  let previous: SyncStatus | null = null;
  let unsubscribeStore: (() => void) | null = null;

  const cancelTimer = () => {
    if (timer !== null) env.clearTimer(timer);
    timer = null;
    store.update({ nextAttemptAt: null });
  };

  const schedule = (ms: number, reason: SyncReason) => {
    cancelTimer();
    if (!started || outdated) return;
    timer = env.setTimer(() => {
      timer = null;
      void syncNow(reason);
    }, ms);
    store.update({ nextAttemptAt: env.now() + ms });
  };

  const askBackgroundSync = () => {
    env.registerBackgroundSync().catch(() => undefined);
  };

  async function attempt(): Promise<void> {
    store.update({ syncing: true });
    try {
      const outcome = await runSync();
      // Text first, files later: evidence uploads start once the answers have gone (lazy: tus loads only then).
      if (!outcome.skipped)
        void import('../../device/sync/uploads').then((u) => u.runPendingUploads(db)).catch(() => undefined);
      failures = 0;
      if (!outcome.skipped && !outcome.complete) schedule(0, 'more');
      // Skipped: another tab or the worker holds the lock and sends our entries too.
      else if (env.isVisible()) schedule(intervalMs, 'timer');
      // Hidden tabs wait for visibilitychange, 'online' or Background Sync instead of polling.
      else cancelTimer();
    } catch (error) {
      if (error instanceof SyncOutdatedError) {
        outdated = true;
        store.update({ outdated: true });
        cancelTimer();
        return;
      }
      if (error instanceof SyncServerOutdatedError) {
        // Not a failure to back off from: the outbox stays saved and the status line says the server needs an update.
        schedule(SERVER_OUTDATED_RECHECK_MS, 'retry');
        return;
      }
      failures++;
      const retryAfter =
        error instanceof SyncTransientError && error.retryAfterMs !== null
          ? Math.min(error.retryAfterMs, 3_600_000)
          : 0;
      schedule(Math.max(retryAfter, backoffDelay(failures, backoffBaseMs, backoffCapMs, env.random)), 'retry');
      if (store.getSnapshot().pending > 0) askBackgroundSync();
    } finally {
      store.update({ syncing: false });
    }
  }

  function syncNow(_reason: SyncReason = 'manual'): Promise<void> {
    if (outdated) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await attempt();
        } while (again && !outdated);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function notifyLocalWrite(): void {
    // Ask the browser too: if the tab is closed before the link returns, the worker sends it.
    askBackgroundSync();
    if (debounce !== null) env.clearTimer(debounce);
    debounce = env.setTimer(() => {
      debounce = null;
      void syncNow('write');
    }, debounceMs);
  }

  const onOnline = () => {
    failures = 0;
    void syncNow('online');
  };
  const onVisibility = () => {
    if (env.isVisible()) void syncNow('visible');
    else if (store.getSnapshot().pending > 0) void syncNow('hidden');
  };
  const onStatus = () => {
    const next = store.getSnapshot();
    const before = previous;
    previous = next;
    if (!before?.loaded || !next.loaded) return;
    // Outbox growth means a write in this or another tab, whoever made it. `pending` counts records,
    // so another autosave of a record already waiting shows only as a newer mid.
    if (next.pending > before.pending || (next.lastQueuedMid ?? 0) > (before.lastQueuedMid ?? 0)) notifyLocalWrite();
    if (next.participantId !== null && next.participantId !== before.participantId) {
      failures = 0;
      void syncNow('enrolled');
    }
  };

  return {
    start() {
      if (started) return;
      started = true;
      unsubscribeStore = store.subscribe(onStatus);
      env.events?.addEventListener('online', onOnline);
      env.visibilityTarget?.addEventListener('visibilitychange', onVisibility);
      void syncNow('open');
    },
    stop() {
      started = false;
      unsubscribeStore?.();
      unsubscribeStore = null;
      env.events?.removeEventListener('online', onOnline);
      env.visibilityTarget?.removeEventListener('visibilitychange', onVisibility);
      cancelTimer();
      if (debounce !== null) env.clearTimer(debounce);
      debounce = null;
    },
    syncNow,
    notifyLocalWrite,
    getStatus: () => store.getSnapshot(),
    subscribe: (listener) => store.subscribe(listener),
    get failures() {
      return failures;
    },
  };
}

let appScheduler: SyncScheduler | null = null;

/** The app's scheduler (same-origin API, the app's database). */
export function getSyncScheduler(): SyncScheduler {
  appScheduler ??= createSyncScheduler();
  return appScheduler;
}

/** Called once from main.tsx after the first render. */
export function startSyncScheduler(): SyncScheduler {
  const scheduler = getSyncScheduler();
  scheduler.start();
  return scheduler;
}

/** "Send now" button: an immediate sync, also after failures (resets nothing but the wait). */
export function requestSync(): Promise<void> {
  return getSyncScheduler().syncNow('manual');
}

export function notifyLocalWrite(): void {
  getSyncScheduler().notifyLocalWrite();
}
