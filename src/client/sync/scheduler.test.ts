/**
 * When the page syncs: on open, online, visibility, after writes (debounced),
 * on a timer with jittered backoff, never twice at once, and not at all once
 * the server says the app is outdated. Timing runs on a fake clock; one test
 * runs the real engine and status store on fake-indexeddb.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VakaDatabase } from '../../device/db/database';
import { createRecord } from '../../device/db/writes';
import type { SyncOutcome } from '../../device/sync/engine';
import {
  SyncFailedError,
  SyncOutdatedError,
  SyncServerOutdatedError,
  SyncTransientError,
} from '../../device/sync/errors';
import {
  SERVER_OUTDATED_RECHECK_MS,
  backoffDelay,
  createSyncScheduler,
  type SchedulerEnv,
  type SyncScheduler,
} from './scheduler';
import {
  createSyncStatusStore,
  INITIAL_SYNC_STATUS,
  type SyncStatus,
  type SyncStatusStore,
} from '../../device/sync/status';
import { FakeSyncServer, fakeUuid } from '../../device/sync/testing/fake-sync-server';
import { enrolledClient, evaluationData, freshDb } from '../../device/sync/testing/fixtures';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

class FakeClock {
  time = 1_000_000;
  private nextId = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  setTimer = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  };
  clearTimer = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  delays(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
      await flush();
    }
    this.time = end;
    await flush();
  }
}

function memoryStore(): SyncStatusStore & { set(patch: Partial<SyncStatus>): void } {
  let status: SyncStatus = { ...INITIAL_SYNC_STATUS, loaded: true };
  const listeners = new Set<() => void>();
  const emit = (patch: Partial<SyncStatus>) => {
    status = { ...status, ...patch };
    for (const l of [...listeners]) l();
  };
  return {
    getSnapshot: () => status,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    update: emit,
    set: emit,
  };
}

const done: SyncOutcome = {
  skipped: false,
  rounds: 1,
  sent: 0,
  acknowledged: 0,
  received: 0,
  conflicts: 0,
  rejected: 0,
  reset: false,
  complete: true,
};

interface Harness {
  scheduler: SyncScheduler;
  clock: FakeClock;
  store: ReturnType<typeof memoryStore>;
  runs: string[];
  window: EventTarget;
  document: EventTarget;
  setVisible(v: boolean): void;
  backgroundSyncs: number;
}

const running: SyncScheduler[] = [];
const openDbs: VakaDatabase[] = [];
afterEach(() => {
  for (const s of running.splice(0)) s.stop();
  for (const db of openDbs.splice(0)) db.close();
});

function harness(runSync: () => Promise<SyncOutcome>, random = () => 1): Harness {
  const clock = new FakeClock();
  const store = memoryStore();
  const win = new EventTarget();
  const doc = new EventTarget();
  let visible = true;
  const h: Harness = {
    clock,
    store,
    runs: [],
    window: win,
    document: doc,
    setVisible: (v) => {
      visible = v;
    },
    backgroundSyncs: 0,
    scheduler: null as unknown as SyncScheduler,
  };
  const env: Partial<SchedulerEnv> = {
    events: win,
    visibilityTarget: doc,
    isVisible: () => visible,
    registerBackgroundSync: async () => {
      h.backgroundSyncs++;
    },
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random,
    now: () => clock.time,
  };
  h.scheduler = createSyncScheduler({
    db: freshDb('scheduler'),
    store,
    env,
    runSync: async () => {
      h.runs.push(`t${clock.time - 1_000_000}`);
      return runSync();
    },
  });
  running.push(h.scheduler);
  return h;
}

describe('backoffDelay', () => {
  it('grows exponentially to the cap, with full jitter and a one-second floor', () => {
    expect([1, 2, 3, 4, 7, 12].map((n) => backoffDelay(n, 5_000, 300_000, () => 1))).toEqual([
      5_000, 10_000, 20_000, 40_000, 300_000, 300_000,
    ]);
    expect(backoffDelay(3, 5_000, 300_000, () => 0.5)).toBe(10_000);
    expect(backoffDelay(3, 5_000, 300_000, () => 0)).toBe(1_000);
  });
});

describe('createSyncScheduler', () => {
  it('syncs on open and then every minute while visible', async () => {
    const h = harness(async () => done);
    h.scheduler.start();
    await flush();
    expect(h.runs).toEqual(['t0']);
    expect(h.clock.delays()).toEqual([60_000]);
    expect(h.store.getSnapshot().nextAttemptAt).toBe(h.clock.time + 60_000);
    await h.clock.advance(120_000);
    expect(h.runs).toEqual(['t0', 't60000', 't120000']);
  });

  it('backs off after failures up to the cap and starts over after a success', async () => {
    let fail = true;
    const h = harness(async () => {
      if (fail) throw new SyncTransientError('sync.error.offline', 'down', null, null);
      return done;
    });
    h.scheduler.start();
    await flush();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      delays.push(h.clock.delays()[0]!);
      await h.clock.advance(h.clock.delays()[0]!);
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(h.scheduler.failures).toBe(9);
    fail = false;
    await h.clock.advance(h.clock.delays()[0]!);
    expect(h.scheduler.failures).toBe(0);
    expect(h.clock.delays()).toEqual([60_000]);
  });

  it('waits at least as long as Retry-After says', async () => {
    const h = harness(
      async () => {
        throw new SyncTransientError('sync.error.server', '503', 503, 120_000);
      },
      () => 0,
    );
    h.scheduler.start();
    await flush();
    expect(h.clock.delays()).toEqual([120_000]);
  });

  it('asks for Background Sync when a sync fails with entries waiting', async () => {
    const h = harness(async () => {
      throw new SyncFailedError('sync.error.server', 'x', false);
    });
    h.store.set({ pending: 2 });
    h.scheduler.start();
    await flush();
    expect(h.backgroundSyncs).toBe(1);
  });

  it('debounces local writes into one sync two seconds after the last', async () => {
    const h = harness(async () => done);
    h.scheduler.start();
    await flush();
    h.scheduler.notifyLocalWrite();
    await h.clock.advance(1_500);
    h.scheduler.notifyLocalWrite();
    await h.clock.advance(1_500);
    h.scheduler.notifyLocalWrite();
    await h.clock.advance(1_999);
    expect(h.runs).toEqual(['t0']);
    await h.clock.advance(1);
    expect(h.runs).toEqual(['t0', 't5000']);
    expect(h.backgroundSyncs).toBe(3);
  });

  it('treats outbox growth seen in the status as a local write', async () => {
    const h = harness(async () => done);
    h.scheduler.start();
    await flush();
    h.store.set({ pending: 1 });
    await h.clock.advance(2_000);
    expect(h.runs).toEqual(['t0', 't2000']);
    h.store.set({ pending: 0 }); // a sync drained it: no new sync
    await h.clock.advance(2_000);
    expect(h.runs).toHaveLength(2);
  });

  it('syncs when the browser comes online, resetting the backoff', async () => {
    let fail = true;
    const h = harness(async () => {
      if (fail) throw new SyncTransientError('sync.error.offline', 'down', null, null);
      return done;
    });
    h.scheduler.start();
    await flush();
    await h.clock.advance(5_000);
    expect(h.scheduler.failures).toBe(2);
    fail = false;
    h.window.dispatchEvent(new Event('online'));
    await flush();
    expect(h.runs).toHaveLength(3);
    expect(h.scheduler.failures).toBe(0);
  });

  it('syncs when the tab becomes visible, flushes when hidden with entries waiting, and does not poll while hidden', async () => {
    const h = harness(async () => done);
    h.scheduler.start();
    await flush();
    h.setVisible(false);
    h.document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(h.runs).toHaveLength(1); // nothing waiting
    h.store.set({ pending: 3 });
    await h.clock.advance(2_000); // the debounced write sync runs while hidden
    expect(h.runs).toHaveLength(2);
    expect(h.clock.delays()).toEqual([]);
    h.document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(h.runs).toHaveLength(3);
    h.setVisible(true);
    h.document.dispatchEvent(new Event('visibilitychange'));
    await flush();
    expect(h.runs).toHaveLength(4);
    expect(h.clock.delays()).toEqual([60_000]);
  });

  it('never runs two syncs at once; a request during a sync runs once after it', async () => {
    let release: () => void = () => undefined;
    let active = 0;
    let maxActive = 0;
    const h = harness(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      active--;
      return done;
    });
    h.scheduler.start();
    await flush();
    const a = h.scheduler.syncNow('manual');
    const b = h.scheduler.syncNow('manual');
    expect(h.store.getSnapshot().syncing).toBe(true);
    release();
    await flush();
    release();
    await Promise.all([a, b]);
    expect(h.runs).toHaveLength(2);
    expect(maxActive).toBe(1);
    expect(h.store.getSnapshot().syncing).toBe(false);
  });

  it('comes back at once when a sync ended with more to do', async () => {
    let calls = 0;
    const h = harness(async () => ({ ...done, complete: ++calls > 1 }));
    h.scheduler.start();
    await flush();
    expect(h.clock.delays()).toEqual([0]);
    await h.clock.advance(0);
    expect(h.runs).toHaveLength(2);
    expect(h.clock.delays()).toEqual([60_000]);
  });

  it('stops for good when the server says the app is outdated', async () => {
    const h = harness(async () => {
      throw new SyncOutdatedError();
    });
    h.scheduler.start();
    await flush();
    expect(h.store.getSnapshot().outdated).toBe(true);
    expect(h.clock.delays()).toEqual([]);
    h.window.dispatchEvent(new Event('online'));
    h.scheduler.notifyLocalWrite();
    await h.clock.advance(600_000);
    await h.scheduler.syncNow('manual');
    expect(h.runs).toHaveLength(1);
  });
  it('asks a server that needs an update only once an hour, without a retry storm or Background Sync', async () => {
    let outdatedServer = true;
    const h = harness(async () => {
      if (outdatedServer) throw new SyncServerOutdatedError();
      return done;
    });
    h.scheduler.start();
    await flush();
    expect(h.clock.delays()).toEqual([SERVER_OUTDATED_RECHECK_MS]);
    expect(h.scheduler.failures).toBe(0);
    expect(h.backgroundSyncs).toBe(0);
    expect(h.store.getSnapshot().outdated).toBe(false);
    await h.clock.advance(SERVER_OUTDATED_RECHECK_MS - 1);
    expect(h.runs).toHaveLength(1);
    outdatedServer = false;
    await h.clock.advance(1);
    expect(h.runs).toHaveLength(2);
    expect(h.clock.delays()).toEqual([60_000]);
  });
});

describe('scheduler with the real engine and status store', () => {
  it('shows waiting entries, sends them after a write without being told, and records the last success', async () => {
    const server = new FakeSyncServer();
    const workshopId = fakeUuid();
    const { db } = await enrolledClient(server, fakeUuid(), [workshopId], 'live');
    openDbs.push(db);
    const store = createSyncStatusStore(db);
    const scheduler = createSyncScheduler({
      db,
      store,
      transport: server.transport,
      syncOptions: { lock: 'none' },
      debounceMs: 20,
      env: {
        events: null,
        visibilityTarget: null,
        isVisible: () => true,
        registerBackgroundSync: async () => undefined,
      },
    });
    running.push(scheduler);
    const seen: SyncStatus[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getSnapshot()));
    scheduler.start();
    await vi.waitFor(() => expect(store.getSnapshot()).toMatchObject({ loaded: true, enrolled: true, syncing: false }));
    await vi.waitFor(() => expect(store.getSnapshot().lastSuccessAt).not.toBeNull());
    const requestsBefore = server.requests.length;

    await createRecord(db, 'evaluations', evaluationData(workshopId));
    await vi.waitFor(() => expect(seen.some((s) => s.pending === 1)).toBe(true));
    await vi.waitFor(() => expect(store.getSnapshot()).toMatchObject({ pending: 0, syncing: false, error: null }));
    expect(server.requests.length).toBe(requestsBefore + 1);
    expect(server.liveRecords('evaluations')).toHaveLength(1);

    server.faults = [{ kind: 'network' }];
    await scheduler.syncNow('manual');
    await vi.waitFor(() => expect(store.getSnapshot().error).toBe('sync.error.offline'));
    expect(store.getSnapshot().nextAttemptAt).not.toBeNull();
    unsubscribe();
  });
});
