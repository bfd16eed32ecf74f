/** The status store and its React hook: live counts from IndexedDB, stable snapshots, error keys. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSyncState, writeSyncState, type VakaDatabase } from '../db/database';
import { createRecord } from '../db/writes';
import { createSyncStatusStore, INITIAL_SYNC_STATUS } from './status';
import { useSyncStatus } from '../../client/sync/use-sync-status';
import { FakeSyncServer, fakeUuid } from './testing/fake-sync-server';
import { enrolledClient, evaluationData } from './testing/fixtures';

const opened: VakaDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('createSyncStatusStore', () => {
  it('follows the outbox, the meta rows and the logs, and keeps the snapshot stable in between', async () => {
    const workshopId = fakeUuid();
    const participantId = fakeUuid();
    const { db } = await enrolledClient(new FakeSyncServer(), participantId, [workshopId], 'status');
    opened.push(db);
    const store = createSyncStatusStore(db);
    const initial = store.getSnapshot();
    expect(initial.loaded).toBe(false);
    const unsubscribe = store.subscribe(() => undefined);
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({ loaded: true, enrolled: true, participantId, pending: 0 }),
    );
    const loaded = store.getSnapshot();
    expect(store.getSnapshot()).toBe(loaded);

    const first = await createRecord(db, 'evaluations', evaluationData(workshopId));
    await createRecord(db, 'evaluations', evaluationData(workshopId));
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({ pending: 2, oldestPendingAt: first._updatedAt }),
    );

    await writeSyncState(db, {
      ...(await readSyncState(db)),
      lastError: 'sync.error.server',
      lastErrorAt: '2025-01-01T00:00:00.000Z',
    });
    await db.rejections.add({
      mid: 1,
      collection: 'evaluations',
      recordId: first.id,
      op: 'create',
      fields: {},
      code: 'invalid',
      message: 'x',
      at: 'x',
      seen: false,
    });
    await db.conflicts.add({ collection: 'evaluations', recordId: first.id, conflicts: [], at: 'x', seen: true });
    await vi.waitFor(() =>
      expect(store.getSnapshot()).toMatchObject({
        error: 'sync.error.server',
        unseenRejections: 1,
        unseenConflicts: 0,
      }),
    );

    // Unknown strings in the row never reach the UI as keys.
    await writeSyncState(db, { ...(await readSyncState(db)), lastError: 'something else' });
    await vi.waitFor(() => expect(store.getSnapshot().error).toBeNull());

    store.update({ syncing: true });
    expect(store.getSnapshot().syncing).toBe(true);
    unsubscribe();
  });
});

describe('useSyncStatus', () => {
  it('renders the store snapshot', () => {
    const snapshot = { ...INITIAL_SYNC_STATUS, pending: 4 };
    const store = { getSnapshot: () => snapshot, subscribe: () => () => undefined, update: () => undefined };
    const Probe = () => createElement('span', null, `pending ${useSyncStatus(store).pending}`);
    expect(renderToStaticMarkup(createElement(Probe))).toBe('<span>pending 4</span>');
  });
});
